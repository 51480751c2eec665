"""Models of the cosine explorer and the neighbour table (pure numpy).

Cosine follows the course convention: a zero vector has cosine 0 with everything
(never NaN); its angle is undefined and reported as ``None``.
"""
from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np

from ._matrix import as_matrix


def polar_vector(angle_deg: float, length: float) -> np.ndarray:
    """The 2-D vector at ``angle_deg`` (counter-clockwise from the x axis) of ``length``."""
    if length < 0:
        raise ValueError(f"length must be >= 0; got {length}")
    theta = math.radians(angle_deg)
    return np.array([length * math.cos(theta), length * math.sin(theta)])


def cosine_and_angle(a: np.ndarray, b: np.ndarray) -> tuple[float, float | None]:
    """``(cos, angle in degrees)`` between ``a`` and ``b``; ``(0.0, None)`` if either is zero."""
    norms = float(np.linalg.norm(a)) * float(np.linalg.norm(b))
    if norms == 0.0:
        return 0.0, None
    cos = float(np.clip(np.dot(a, b) / norms, -1.0, 1.0))  # rounding can step past +-1
    return cos, math.degrees(math.acos(cos))


class CosineModel:
    """Two 2-D vectors given by angle (degrees) and length."""

    def __init__(self, angle_a: float = 20.0, length_a: float = 1.0, angle_b: float = 70.0,
                 length_b: float = 1.5):
        self.a = polar_vector(angle_a, length_a)
        self.b = polar_vector(angle_b, length_b)
        self.polar = {"a": (angle_a, length_a), "b": (angle_b, length_b)}

    def set_vector(self, which: str, angle_deg: float, length: float) -> None:
        """Move vector ``"a"`` or ``"b"``."""
        if which not in ("a", "b"):
            raise ValueError(f'which must be "a" or "b"; got {which!r}')
        setattr(self, which, polar_vector(angle_deg, length))
        self.polar[which] = (angle_deg, length)

    def summary(self) -> dict:
        """What the readout shows: cosine, angle, dot product and the two norms."""
        cos, angle = cosine_and_angle(self.a, self.b)
        return {"cosine": cos, "angle": angle, "dot": float(np.dot(self.a, self.b)),
                "norm_a": float(np.linalg.norm(self.a)), "norm_b": float(np.linalg.norm(self.b))}


def tokens_in_order(vocab: Mapping[str, int] | Sequence[str], size: int) -> list[str]:
    """Row order of the tokens from a ``{token: index}`` dict or a sequence of tokens."""
    if isinstance(vocab, Mapping):
        tokens = sorted(vocab, key=vocab.__getitem__)
        if sorted(vocab.values()) != list(range(len(vocab))):
            raise ValueError("the vocabulary's indices must be exactly 0..V-1")
    elif isinstance(vocab, str):
        raise TypeError("vocab must be a {token: index} dict or a list of tokens, not a str")
    else:
        tokens = [str(t) for t in vocab]
        if len(set(tokens)) != len(tokens):
            raise ValueError("the token list has duplicates")
    if len(tokens) != size:
        raise ValueError(f"the vocabulary has {len(tokens)} tokens but the weight has {size} rows")
    return tokens


class NeighbourModel:
    """Nearest neighbours by cosine over fixed embeddings.

    All pairwise cosines are computed once, so changing the token or ``k`` is a sort
    of one row. Ranking: highest cosine first, ties by the smaller vocabulary index,
    the token itself never listed, zero rows have cosine 0 with everything.
    """

    def __init__(self, vocab: Mapping[str, int] | Sequence[str], weight: object):
        matrix = as_matrix(weight)
        self.tokens = tokens_in_order(vocab, matrix.shape[0])
        self.index = {t: i for i, t in enumerate(self.tokens)}
        norms = np.linalg.norm(matrix, axis=1)
        safe = np.where(norms == 0.0, 1.0, norms)
        unit = matrix / safe[:, None]
        self.cosines = np.clip(unit @ unit.T, -1.0, 1.0)
        zero = norms == 0.0
        self.cosines[zero, :] = 0.0
        self.cosines[:, zero] = 0.0

    def neighbours(self, token: str, k: int) -> list[tuple[str, float]]:
        """The ``k`` most similar other tokens as ``(token, cosine)``, best first."""
        if token not in self.index:
            raise KeyError(f"{token!r} is not in the vocabulary")
        if k < 1:
            raise ValueError(f"k must be >= 1; got {k}")
        row = self.index[token]
        # A stable sort on -cosine keeps index order among ties.
        order = [j for j in np.argsort(-self.cosines[row], kind="stable") if j != row]
        return [(self.tokens[j], float(self.cosines[row, j])) for j in order[:k]]
