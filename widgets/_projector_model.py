"""The Projector's model (pure numpy): words on a 2-D map, neighbours, analogies, an axis.

It serves the ``n`` most frequent GloVe words: their rows are copied once, divided by
their norms, into a float32 matrix (50,000 words: 10 MB); the 400,000-row file stays
memory-mapped and is never copied whole. Every query is one matrix-vector product
over the served rows. The conventions are a5's: cosine similarity, ties by the
smaller row, the query words never listed, the 2-D map is a PCA of the shown words.
"""
from __future__ import annotations

import re
from typing import Sequence

import numpy as np

PRESETS = {
    "capitals and countries": "beijing china paris france tokyo japan berlin germany rome italy moscow russia",
    "royalty and gender": "king queen man woman prince princess boy girl uncle aunt",
    "antonyms that share slots": "good bad love hate like dislike hot cold happy sad rich poor",
    "jobs on the he - she axis": "nurse homemaker receptionist dancer engineer programmer captain boss doctor scientist",
    "numbers and weekdays": "one two three four five monday tuesday wednesday thursday friday",
}


def parse_words(text: str) -> list[str]:
    """Words typed in a box: split on commas and whitespace, lower-cased, duplicates dropped."""
    seen: dict[str, None] = {}
    for word in re.split(r"[\s,;]+", text.strip().lower()):
        if word:
            seen.setdefault(word, None)
    return list(seen)


def unit_rows(rows: np.ndarray) -> np.ndarray:
    """A float32 copy of ``rows`` with each row divided by its norm (zero rows stay zero)."""
    matrix = np.array(rows, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    np.divide(matrix, norms, out=matrix, where=norms > 0)
    return matrix


def pca_2d(rows: np.ndarray) -> np.ndarray:
    """(n, d) -> (n, 2): the centred rows on their two principal directions (a5's project_2d).

    Each column's sign is fixed (its largest entry by size made positive), so the map does
    not flip when a word is added; with fewer than 3 rows the missing directions are 0.
    """
    rows = np.asarray(rows, dtype=np.float64)
    if rows.ndim != 2 or rows.shape[0] < 2:
        raise ValueError(f"a 2-D map needs at least 2 words, got {rows.shape[0] if rows.ndim == 2 else 0}")
    centred = rows - rows.mean(axis=0)
    _, _, vh = np.linalg.svd(centred, full_matrices=False)
    coords = np.zeros((rows.shape[0], 2))
    top = centred @ vh[:2].T
    coords[:, :top.shape[1]] = top
    for j in range(2):
        if coords[np.argmax(np.abs(coords[:, j])), j] < 0:
            coords[:, j] *= -1
    return coords


class ProjectorModel:
    """Word vectors served to the Projector: ``words`` (row order) and their unit rows."""

    def __init__(self, words: Sequence[str], vectors: np.ndarray):
        if len(words) != len(vectors):
            raise ValueError(f"{len(words)} words but {len(vectors)} vectors")
        self.words = list(words)
        self.index = {w: i for i, w in enumerate(self.words)}
        if len(self.index) != len(self.words):
            raise ValueError("the word list has duplicates")
        self.unit = unit_rows(vectors)

    @classmethod
    def from_glove(cls, n: int = 50_000) -> "ProjectorModel":
        """The ``n`` most frequent GloVe words (read from the installed wheel, memory-mapped)."""
        from . import _glove

        return cls(_glove.first_words(n), _glove.matrix()[:_glove._rows(n)])

    def split_known(self, words: Sequence[str]) -> tuple[list[str], list[str]]:
        """``(served words, unknown words)``, each in the order given."""
        known = [w for w in words if w in self.index]
        return known, [w for w in words if w not in self.index]

    def _row(self, word: str) -> int:
        if word not in self.index:
            raise KeyError(f"{word!r} is not among the {len(self.words):,} words served")
        return self.index[word]

    def _best(self, scores: np.ndarray, excluded: Sequence[int], k: int) -> list[tuple[str, float]]:
        if k < 1:
            raise ValueError(f"k must be >= 1; got {k}")
        scores = scores.copy()
        scores[list(excluded)] = -np.inf
        k = min(k, len(scores) - len(set(excluded)))
        if k <= 0:
            return []
        # partition finds the k-th best score in linear time (no full sort of 50,000 or
        # 400,000 scores); every row at least that good is then sorted, so equal scores
        # are ordered by the smaller row.
        threshold = np.partition(scores, len(scores) - k)[len(scores) - k]
        candidates = np.flatnonzero(scores >= threshold)
        order = candidates[np.lexsort((candidates, -scores[candidates]))][:k]
        return [(self.words[i], float(scores[i])) for i in order]

    def neighbours(self, word: str, k: int = 10) -> list[tuple[str, float]]:
        """The ``k`` served words with the highest cosine to ``word`` (itself never listed)."""
        row = self._row(word)
        return self._best(self.unit @ self.unit[row], [row], k)

    def analogy(self, a: str, b: str, c: str, k: int = 5) -> list[tuple[str, float]]:
        """"a is to b as c is to ?": the words closest to unit(b) - unit(a) + unit(c)."""
        rows = [self._row(a), self._row(b), self._row(c)]
        query = self.unit[rows[1]] - self.unit[rows[0]] + self.unit[rows[2]]
        norm = float(np.linalg.norm(query))
        return self._best(self.unit @ (query / max(norm, 1e-12)), rows, k)

    def axis(self, negative: Sequence[str], positive: Sequence[str]) -> np.ndarray:
        """unit(mean of the positive unit rows - mean of the negative ones)."""
        if not negative or not positive:
            raise ValueError("an axis needs at least one word at each end")
        direction = (self.unit[[self._row(w) for w in positive]].mean(axis=0)
                     - self.unit[[self._row(w) for w in negative]].mean(axis=0))
        norm = float(np.linalg.norm(direction))
        if norm == 0:
            raise ValueError("the two ends of the axis are the same point")
        return direction / norm

    def axis_scores(self, words: Sequence[str], negative: Sequence[str], positive: Sequence[str]) -> list[float]:
        """Each word's unit row dotted with :meth:`axis` (a5's direction_scores)."""
        axis = self.axis(negative, positive)
        return [float(self.unit[self._row(w)] @ axis) for w in words]

    def project(self, words: Sequence[str]) -> np.ndarray:
        """The 2-D PCA map of the given served words, shape (len(words), 2)."""
        return pca_2d(self.unit[[self._row(w) for w in words]])
