"""The lookup explorer's model: a vocabulary, a weight matrix and one selected token.

Pure numpy, no ipywidgets and no torch import: the view only calls these methods
and renders what they return. torch alone takes about 190 MB in a kernel, so the
lookup dashboard would need 2.5x the memory of the others just to index a 5 x 4
array. A student's ``nn.Embedding`` or tensor is still accepted: an object can
only be one if the student has imported torch already, so it is recognised
through ``sys.modules`` and copied to numpy once.

The model shows the *mechanics* of a1/a2 on one token; it is not a drop-in for the
graded functions (different signatures, no spec'd errors).
"""
from __future__ import annotations

import sys

import numpy as np

MODES = ("lookup", "one-hot @ W", "Linear(bias=False)")
"""The three ways of turning a token index into its vector; they always agree."""

MAX_DIM = 32


def tokens_of(sentence: str) -> list[str]:
    """The distinct non-whitespace characters of ``sentence``, in order of first appearance."""
    return list(dict.fromkeys(ch for ch in sentence if not ch.isspace()))


def random_weight(vocab_size: int, dim: int, seed: int) -> np.ndarray:
    """A deterministic ``(vocab_size, dim)`` float32 standard-normal matrix: same seed,
    same numbers (numpy's default generator, PCG64, seeded with ``seed``)."""
    return np.random.default_rng(seed).standard_normal((vocab_size, dim), dtype=np.float32)


def weight_of(embedding: object) -> np.ndarray:
    """A copy, as a numpy array, of the weight of an ``nn.Embedding``, a tensor or an array.

    A copy, so the explorer never changes the student's object and keeps showing
    the numbers it was given even if the student trains the module afterwards.
    Floating dtypes are kept, except bfloat16 (numpy has no such type), which is
    widened to float32: exact, so the numbers shown are the student's.
    """
    torch = sys.modules.get("torch")         # never imported here; see the module docstring
    if torch is not None and isinstance(embedding, torch.nn.Embedding):
        embedding = embedding.weight
    if torch is not None and isinstance(embedding, torch.Tensor):
        return _checked_weight(_tensor_to_numpy(torch, embedding))
    if isinstance(embedding, np.ndarray):
        return _checked_weight(embedding.copy())
    raise TypeError(
        f"embedding must be an nn.Embedding, a (V, d) tensor or a numpy array, "
        f"not {type(embedding).__name__}")


def _tensor_to_numpy(torch, tensor) -> np.ndarray:
    tensor = tensor.detach().cpu()
    if not tensor.is_floating_point():
        raise TypeError(f"the weight must be a floating tensor or array; got dtype {tensor.dtype}")
    if tensor.dtype == torch.bfloat16:
        tensor = tensor.float()
    return tensor.numpy().copy()         # .numpy() of a CPU tensor shares the student's memory


def _checked_weight(weight: np.ndarray) -> np.ndarray:
    if weight.ndim != 2:
        raise ValueError(f"the weight must have shape (V, d); got shape {tuple(weight.shape)}")
    if not np.issubdtype(weight.dtype, np.floating):
        raise TypeError(f"the weight must be a floating tensor or array; got dtype {weight.dtype}")
    if weight.shape[0] < 1 or weight.shape[1] < 1:
        raise ValueError(f"the weight must have at least one row and column; got {tuple(weight.shape)}")
    return weight


class LookupModel:
    """Vocabulary of a sentence, a weight matrix ``W`` (V, d) and a selected token index.

    Without ``embedding`` the weight is random (float32 standard normal, seeded by
    ``seed``) and follows the sentence and ``dim``. With ``embedding`` the weight is
    fixed: its rows are the sentence's tokens (the sentence must have exactly V
    distinct tokens) and the sentence and dimension cannot change.

    ``weight`` is a numpy array (V, d). The ``Linear(bias=False)`` mode keeps its own
    copy ``linear_weight`` = W.T, of shape (d, V) = (out_features, in_features) as
    ``nn.Linear`` stores it, and computes ``x @ linear_weight.T`` exactly as
    ``nn.Linear`` (``torch.nn.functional.linear``) does, in numpy.
    """

    def __init__(self, sentence: str = "北京欢迎你", dim: int = 3, embedding: object = None,
                 seed: int = 0):
        if not isinstance(sentence, str):
            raise TypeError(f"sentence must be a str, not {type(sentence).__name__}")
        self.seed = self._checked_seed(seed)
        self.fixed = embedding is not None
        self.index = 0
        if self.fixed:
            weight = weight_of(embedding)
            tokens = tokens_of(sentence)
            if len(tokens) != weight.shape[0]:
                raise ValueError(
                    f"the embedding has {weight.shape[0]} rows but the sentence {sentence!r} has "
                    f"{len(tokens)} distinct tokens; pass the sentence its vocabulary was built from")
            self.sentence, self.tokens = sentence, tokens
            self._use_weight(weight)
        else:
            self.sentence, self.tokens = sentence, self._checked_tokens(sentence)
            self._use_weight(random_weight(len(self.tokens), self._checked_dim(dim), self.seed))

    # -- state changes (each validates first, so bad input changes nothing) --------------

    def set_sentence(self, sentence: str) -> None:
        """Rebuild the vocabulary (and the random weight) from a new sentence."""
        if self.fixed:
            raise ValueError("the vocabulary is fixed by the embedding you passed")
        tokens = self._checked_tokens(sentence)
        self.sentence, self.tokens = sentence, tokens
        self.index = min(self.index, len(tokens) - 1)
        self._use_weight(random_weight(len(tokens), self.dim, self.seed))

    def set_dim(self, dim: int) -> None:
        """Draw a new random weight with ``dim`` columns."""
        if self.fixed:
            raise ValueError("the dimension is fixed by the embedding you passed")
        self._use_weight(random_weight(len(self.tokens), self._checked_dim(dim), self.seed))

    def set_index(self, index: int) -> None:
        """Select the token at ``index`` (0..V-1)."""
        if not 0 <= index < self.vocab_size:
            raise ValueError(f"token index must be in 0..{self.vocab_size - 1}; got {index}")
        self.index = int(index)

    # -- what the view shows -------------------------------------------------------------

    @property
    def vocab_size(self) -> int:
        return self.weight.shape[0]

    @property
    def dim(self) -> int:
        return self.weight.shape[1]

    @property
    def token(self) -> str:
        return self.tokens[self.index]

    def one_hot(self) -> np.ndarray:
        """The selected token's one-hot vector, float32 of length V."""
        vector = np.zeros(self.vocab_size, dtype=np.float32)
        vector[self.index] = 1.0
        return vector

    def result(self, mode: str) -> np.ndarray:
        """The selected token's vector computed the way ``mode`` names (one of MODES),
        in the weight's dtype."""
        if mode == "lookup":
            return self.weight[self.index].copy()
        x = self.one_hot().astype(self.weight.dtype)
        if mode == "one-hot @ W":
            return x @ self.weight
        if mode == "Linear(bias=False)":
            return x @ self.linear_weight.T       # nn.Linear's forward: x @ weight.T (+ no bias)
        raise ValueError(f"mode must be one of {MODES}; got {mode!r}")

    def disagreement(self) -> float:
        """Largest absolute difference between the three computations (0 up to rounding)."""
        results = [self.result(mode).astype(np.float64) for mode in MODES]
        return max(float(np.abs(r - results[0]).max()) for r in results)

    # -- helpers -------------------------------------------------------------------------

    def _use_weight(self, weight: np.ndarray) -> None:
        self.weight = weight
        # Its own storage, as a real Linear layer has: disagreement() then compares
        # two copies of the numbers, not one array read through two views.
        self.linear_weight = np.ascontiguousarray(weight.T)
        self.index = min(self.index, weight.shape[0] - 1)

    @staticmethod
    def _checked_tokens(sentence: object) -> list[str]:
        if not isinstance(sentence, str):
            raise TypeError(f"sentence must be a str, not {type(sentence).__name__}")
        tokens = tokens_of(sentence)
        if not tokens:
            raise ValueError("the sentence has no tokens: type at least one non-space character")
        return tokens

    @staticmethod
    def _checked_dim(dim: object) -> int:
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
            raise TypeError(f"dim must be an int, not {type(dim).__name__}")
        if not 1 <= dim <= MAX_DIM:
            raise ValueError(f"dim must be in 1..{MAX_DIM}; got {dim}")
        return int(dim)

    @staticmethod
    def _checked_seed(seed: object) -> int:
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise TypeError(f"seed must be an int, not {type(seed).__name__}")
        if seed < 0:
            raise ValueError(f"seed must be >= 0; got {seed}")
        return int(seed)
