"""What several a5 checks share: hand-made tables, the grader's own float64 computations of
neighbours and cosines, the diagnoses of known slips, and the shipped GloVe vectors (read lazily,
memory-mapped, the first time a ``*_glove`` check runs)."""
from __future__ import annotations

import functools
import math
from typing import NamedTuple

import numpy as np
import torch

from autograder.checks.toolbox import NUMPY_FLOATS, TENSOR_TYPES, same_plain, similarity_pairs, tensors


def _unit_rows(table: list[list[float]]) -> torch.Tensor:
    """A hand-made table with every row scaled to length 1 (so only the cells about
    lengths tell a raw-row formula from a unit-row one)."""
    rows = torch.tensor(table, dtype=torch.float64)
    return (rows / rows.norm(dim=1, keepdim=True)).to(torch.float32)


def _unchanged(p, after: torch.Tensor, function: str, example: str) -> None:
    # Inputs are rebuilt identically on both sides, so recording them after the call
    # compares them with the reference's untouched copy.
    p.expect(after, f"{function} changed the vectors tensor it was given (an in-place operation such as "
                    f"{example}): leave its input unchanged and compute a new tensor")


def _float64(tensor: torch.Tensor) -> np.ndarray:
    """One of the grader's own tensors as a float64 numpy array, for the grader's computations
    (read through ``_tensors``, which a student cell cannot patch)."""
    values = tensors.tolist(tensors.to(tensors.detach(tensor), torch.float64))
    return np.array(values, dtype=np.float64).reshape(tuple(tensors.shape(tensor)))


def _floats(out):
    """A list of numbers (Python, numpy or one-element tensors) as a float64 tensor, so values
    are judged and types are not (that is the cell about types)."""
    if type(out) is list and all(type(v) in (int, float, *NUMPY_FLOATS) for v in out):
        return torch.tensor([float(v) for v in out], dtype=torch.float64).reshape(-1)
    if type(out) is list and all(type(v) in TENSOR_TYPES and tensors.numel(v) == 1 for v in out):
        return torch.tensor([float(tensors.item(tensors.detach(v))) for v in out], dtype=torch.float64)
    return out


def _sign_fixed(out):
    """An (n, 2) result with each column's sign fixed (its largest |entry| made positive),
    so both signs of a principal direction compare equal. Anything else as is.

    Entries within 0.001 of the largest |entry| (0.1 % of it, if it is above 1) count as the
    largest, and the first of them decides: a column like (2, -2, 0, 0) gets the same sign
    whatever rounding made one of its two largest entries a little larger."""
    if type(out) not in TENSOR_TYPES or tensors.dim(out) != 2 or not tensors.is_floating_point(out):
        return out
    rows = tensors.tolist(tensors.to(tensors.detach(out), torch.float64))
    if not rows:
        return out
    columns = list(zip(*rows))
    signs = [1.0 if _sign_entry(col) >= 0 else -1.0 for col in columns]
    return torch.tensor([[v * s for v, s in zip(row, signs)] for row in rows], dtype=torch.float64)


def _sign_entry(column) -> float:
    """The first finite entry of ``column`` whose size is about the largest (see :func:`_sign_fixed`)."""
    largest = max((abs(v) for v in column if math.isfinite(v)), default=0.0)
    return next((v for v in column if math.isfinite(v) and abs(v) >= largest - 1e-3 * max(largest, 1.0)), 0.0)


def _words(out):
    """The words of a result that is exactly a list of 2-item tuples or lists whose first
    item is a str; None for anything else."""
    if type(out) is not list:
        return None
    words = []
    for item in out:
        if type(item) not in (tuple, list) or len(item) != 2 or type(item[0]) is not str:
            return None
        words.append(item[0])
    return words


def _lists_any(out, words: tuple[str, ...]) -> bool:
    """Whether a list of (word, similarity) pairs lists one of ``words``."""
    listed = _words(out)
    return listed is not None and any(word in words for word in listed)


def _has_tensor_scores(out) -> bool:
    """Whether a list of pairs holds a tensor as a similarity (instead of a Python float)."""
    return type(out) is list and any(type(item) in (tuple, list) and len(item) == 2
                                     and type(item[1]) in TENSOR_TYPES for item in out)


def _count(out):
    """How many items an exact list or 1-D tensor holds; anything else as is."""
    if type(out) is list:
        return len(out)
    if type(out) in TENSOR_TYPES and tensors.dim(out) == 1:
        return int(tensors.numel(out))
    return out


class _Rows(NamedTuple):
    """A table as the grader computes with it: float64 rows, their norms, and the word of each row."""

    values: np.ndarray
    norms: np.ndarray
    names: dict[int, str] | list[str]


def _rows(vocab: dict[str, int], vectors: torch.Tensor) -> _Rows:
    values = _float64(vectors)
    return _Rows(values, np.linalg.norm(values, axis=1), {i: w for w, i in vocab.items()})


def _cosines(rows: _Rows, query: np.ndarray) -> np.ndarray:
    """Every row's cosine with ``query`` (0 for a zero row), in float64."""
    norms = rows.norms * np.linalg.norm(query)
    scores = rows.values @ query
    return np.divide(scores, norms, out=np.zeros_like(scores), where=norms > 0)


def _top_pairs(scores: np.ndarray, rows: _Rows, excluded: list[int], k: int,
               larger_index_first: bool = False) -> list[list]:
    """``[[word, score], ...]`` of the ``k`` best scores, ``excluded`` rows left out, ties by
    smaller index (or, a known mistake, by larger index)."""
    scores = scores.copy()
    scores[excluded] = -np.inf
    k = max(0, min(k, len(scores) - len(set(excluded))))
    if k == 0:
        return []
    # Every row at least as good as the k-th best (ties included), then those few sorted.
    candidates = np.flatnonzero(scores >= np.partition(scores, len(scores) - k)[len(scores) - k])
    order = candidates[np.lexsort((-candidates if larger_index_first else candidates, -scores[candidates]))][:k]
    return [[rows.names[int(i)], float(scores[i])] for i in order]


def _diagnoses(p, out, right: list[list], slips: list[tuple[list[list], str]], what: str) -> None:
    """One step per known mistake whose result differs from the right one (and from the
    mistakes before it), recorded where the grader's computation says so, identically in
    both runs. A mistake that lists other words is recognised by its words alone (its
    scores may be large numbers, rounded differently); one that lists the right words with
    other scores, by its (word, score) pairs."""
    words = [w for w, _ in right]
    seen = [right]
    for wrong, why in slips:
        if any(_same_pairs(wrong, other) for other in seen):
            continue
        seen.append(wrong)
        wrong_words = [w for w, _ in wrong]
        if wrong_words != words:
            p.expect(same_plain(_words(out), wrong_words), f"{what} {why}")
        else:
            p.expect(same_plain(similarity_pairs(out), wrong), f"{what} {why}")


def _same_pairs(one: list[list], other: list[list]) -> bool:
    """Whether two of the grader's ``[[word, score], ...]`` lists agree (scores within 1e-4)."""
    return len(one) == len(other) and all(a == c and abs(b - d) <= 1e-4 for (a, b), (c, d) in zip(one, other))


def _distinct(right: torch.Tensor, mistakes: list[tuple[torch.Tensor, str]], apart: float):
    """The mistakes whose result is more than ``apart`` from the right one and from every
    mistake kept before it (the grader's own tensors): only those get a diagnosis step."""
    kept: list[tuple[torch.Tensor, str]] = []
    for wrong, message in mistakes:
        if all(float((wrong - other).abs().max()) > apart for other in [right] + [w for w, _ in kept]):
            kept.append((wrong, message))
    return kept


# --- the shipped GloVe vectors (nearest_glove, analogy_glove) ---------------------------

GLOVE_ROWS = 50_000


@functools.lru_cache(maxsize=1)
def _glove() -> tuple[dict[str, int], torch.Tensor]:
    from widgets import load_glove  # memory-mapped, read on first use only

    return load_glove(GLOVE_ROWS)


@functools.lru_cache(maxsize=1)
def _glove_rows() -> _Rows:
    """The same rows for the grader's own computations (diagnoses), read once."""
    from widgets import glove_numpy

    vocab, matrix = glove_numpy(GLOVE_ROWS)
    values = np.asarray(matrix, dtype=np.float64)
    return _Rows(values, np.linalg.norm(values, axis=1), list(vocab))  # the file's words are in index order
