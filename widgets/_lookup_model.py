"""The lookup explorer's model: a vocabulary, a weight matrix and one selected token.

Pure torch/numpy, no ipywidgets: the view only calls these methods and renders
what they return. The model shows the *mechanics* of a1/a2 on one token; it is not
a drop-in for the graded functions (different signatures, no spec'd errors).
"""
from __future__ import annotations

import numpy as np
import torch

MODES = ("lookup", "one-hot @ W", "Linear(bias=False)")
"""The three ways of turning a token index into its vector; they always agree."""

MAX_DIM = 32


def tokens_of(sentence: str) -> list[str]:
    """The distinct non-whitespace characters of ``sentence``, in order of first appearance."""
    return list(dict.fromkeys(ch for ch in sentence if not ch.isspace()))


def random_weight(vocab_size: int, dim: int, seed: int) -> torch.Tensor:
    """A deterministic ``(vocab_size, dim)`` float32 matrix: same seed, same numbers."""
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(vocab_size, dim, generator=generator)


def weight_of(embedding: object) -> torch.Tensor:
    """A detached copy of the weight of an ``nn.Embedding``, a tensor or an array.

    A copy, so the explorer never changes the student's object and keeps showing
    the numbers it was given even if the student trains the module afterwards.
    """
    if isinstance(embedding, torch.nn.Embedding):
        weight = embedding.weight
    elif isinstance(embedding, torch.Tensor):
        weight = embedding
    elif isinstance(embedding, np.ndarray):
        weight = torch.from_numpy(embedding)
    else:
        raise TypeError(
            f"embedding must be an nn.Embedding, a (V, d) tensor or a numpy array, "
            f"not {type(embedding).__name__}")
    if weight.dim() != 2:
        raise ValueError(f"the weight must have shape (V, d); got shape {tuple(weight.shape)}")
    if not weight.is_floating_point():
        raise TypeError(f"the weight must be a floating tensor; got dtype {weight.dtype}")
    if weight.shape[0] < 1 or weight.shape[1] < 1:
        raise ValueError(f"the weight must have at least one row and column; got {tuple(weight.shape)}")
    return weight.detach().cpu().clone()


def as_numpy(tensor: torch.Tensor) -> np.ndarray:
    """``tensor.numpy()``, widening bfloat16 (which numpy has no type for) to float32."""
    return (tensor.float() if tensor.dtype == torch.bfloat16 else tensor).numpy()


class LookupModel:
    """Vocabulary of a sentence, a weight matrix ``W`` (V, d) and a selected token index.

    Without ``embedding`` the weight is random (seeded) and follows the sentence and
    ``dim``. With ``embedding`` the weight is fixed: its rows are the sentence's tokens
    (the sentence must have exactly V distinct tokens) and the sentence and dimension
    cannot change.
    """

    def __init__(self, sentence: str = "北京欢迎你", dim: int = 3, embedding: object = None,
                 seed: int = 0):
        if not isinstance(sentence, str):
            raise TypeError(f"sentence must be a str, not {type(sentence).__name__}")
        self.seed = seed
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
            self._use_weight(random_weight(len(self.tokens), self._checked_dim(dim), seed))

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
        """The selected token's vector computed the way ``mode`` names (one of MODES)."""
        with torch.no_grad():
            if mode == "lookup":
                out = self.weight[self.index]
            elif mode == "one-hot @ W":
                out = torch.from_numpy(self.one_hot()).to(self.weight.dtype) @ self.weight
            elif mode == "Linear(bias=False)":
                out = self._linear(torch.from_numpy(self.one_hot()).to(self.weight.dtype))
            else:
                raise ValueError(f"mode must be one of {MODES}; got {mode!r}")
        return as_numpy(out)

    def disagreement(self) -> float:
        """Largest absolute difference between the three computations (0 up to rounding)."""
        results = [self.result(mode).astype(np.float64) for mode in MODES]
        return max(float(np.abs(r - results[0]).max()) for r in results)

    # -- helpers -------------------------------------------------------------------------

    def _use_weight(self, weight: torch.Tensor) -> None:
        self.weight = weight
        # The same matrix as a bias-free linear layer: Linear stores (out, in) = W.T.
        self._linear = torch.nn.Linear(weight.shape[0], weight.shape[1], bias=False,
                                       dtype=weight.dtype)
        with torch.no_grad():
            self._linear.weight.copy_(weight.T)
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
