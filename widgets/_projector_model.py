"""The Projector's model (pure numpy): words on a 2-D map, neighbours, analogies, an axis.

It serves one of two data sets (:data:`DATASETS`):
- the ``n`` most frequent GloVe words: their rows are copied once, divided by their
  norms, into a float32 matrix (50,000 words: 10 MB); the 400,000-row file stays
  memory-mapped and is never copied whole;
- the 3,000 Chinese characters of a6's pretrained cloze encoder (its token table, the
  static vectors). A word of several served characters (北京) is the mean of their unit
  rows, as a4's word vectors are; its own characters are then never listed as its
  neighbours, which are characters.
Every query is one matrix-vector product over the served rows. The conventions are
a5's: cosine similarity, ties by the smaller row, the query words never listed, the
2-D map is a PCA of the shown words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

PRESETS = {
    "capitals and countries": "beijing china paris france tokyo japan berlin germany rome italy moscow russia",
    "royalty and gender": "king queen man woman prince princess boy girl uncle aunt",
    "antonyms that share slots": "good bad love hate like dislike hot cold happy sad rich poor",
    "jobs on the he - she axis": "nurse homemaker receptionist dancer engineer programmer captain boss doctor scientist",
    "numbers and weekdays": "one two three four five monday tuesday wednesday thursday friday",
}


CHINESE_PRESETS = {
    "cities and countries": "北京 中国 上海 东京 日本 巴黎 法国 伦敦 英国 莫斯科 俄罗斯",
    "directions and numbers": "东 南 西 北 上 下 左 右 一 二 三 四 五 六",
    "喜欢, 讨厌 and other feelings": "喜欢 讨厌 高兴 难过 快乐 痛苦 爱 恨 好 坏",
    "family": "父亲 母亲 儿子 女儿 哥哥 弟弟 姐姐 妹妹 爷爷 奶奶",
    "the economy": "银行 经济 市场 企业 工厂 农业 价格 工资 股票 投资",
}


def parse_words(text: str) -> list[str]:
    """Words typed in a box: split on commas (also 、and ，) and whitespace, lower-cased,
    duplicates dropped."""
    seen: dict[str, None] = {}
    for word in re.split(r"[\s,;，、；]+", text.strip().lower()):
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

    def __init__(self, words: Sequence[str], vectors: np.ndarray, *, compose: bool = False):
        if len(words) != len(vectors):
            raise ValueError(f"{len(words)} words but {len(vectors)} vectors")
        self.words = list(words)
        self.index = {w: i for i, w in enumerate(self.words)}
        if len(self.index) != len(self.words):
            raise ValueError("the word list has duplicates")
        self.unit = unit_rows(vectors)
        self.compose = compose
        """Served characters make words: 北京 is the mean of the unit rows of 北 and 京."""

    @classmethod
    def from_glove(cls, n: int = 50_000) -> "ProjectorModel":
        """The ``n`` most frequent GloVe words (read from the installed wheel, memory-mapped)."""
        from . import _glove

        return cls(_glove.first_words(n), _glove.matrix()[:_glove._rows(n)])

    @classmethod
    def from_cloze_encoder(cls) -> "ProjectorModel":
        """The Chinese characters of a6's pretrained encoder (its token table), composable."""
        from ._cloze_model import ClozeModel

        return cls(*ClozeModel.load().character_vectors(), compose=True)

    def knows(self, word: str) -> bool:
        """Served, or (with ``compose``) made of two or more served characters."""
        return word in self.index or (self.compose and len(word) > 1 and all(ch in self.index for ch in word))

    def split_known(self, words: Sequence[str]) -> tuple[list[str], list[str]]:
        """``(served words, unknown words)``, each in the order given."""
        return [w for w in words if self.knows(w)], [w for w in words if not self.knows(w)]

    def _row(self, word: str) -> int:
        if word not in self.index:
            raise KeyError(f"{word!r} is not among the {len(self.words):,} words served")
        return self.index[word]

    def _rows_of(self, word: str) -> list[int]:
        """The served rows ``word`` is made of: its own, or its characters'."""
        if word in self.index or not self.knows(word):
            return [self._row(word)]
        return [self.index[ch] for ch in word]

    def vector(self, word: str) -> np.ndarray:
        """The unit vector of a served word, or of the mean of a composed word's unit rows."""
        rows = self._rows_of(word)
        if len(rows) == 1:
            return self.unit[rows[0]]
        mean = self.unit[rows].mean(axis=0)
        norm = float(np.linalg.norm(mean))
        return mean / norm if norm > 0 else mean

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
        return self._best(self.unit @ self.vector(word), self._rows_of(word), k)

    def analogy(self, a: str, b: str, c: str, k: int = 5) -> list[tuple[str, float]]:
        """"a is to b as c is to ?": the words closest to unit(b) - unit(a) + unit(c)."""
        query = self.vector(b) - self.vector(a) + self.vector(c)
        norm = float(np.linalg.norm(query))
        excluded = [row for word in (a, b, c) for row in self._rows_of(word)]
        return self._best(self.unit @ (query / max(norm, 1e-12)), excluded, k)

    def axis(self, negative: Sequence[str], positive: Sequence[str]) -> np.ndarray:
        """unit(mean of the positive unit rows - mean of the negative ones)."""
        if not negative or not positive:
            raise ValueError("an axis needs at least one word at each end")
        direction = (np.mean([self.vector(w) for w in positive], axis=0)
                     - np.mean([self.vector(w) for w in negative], axis=0))
        norm = float(np.linalg.norm(direction))
        if norm == 0:
            raise ValueError("the two ends of the axis are the same point")
        return direction / norm

    def axis_scores(self, words: Sequence[str], negative: Sequence[str], positive: Sequence[str]) -> list[float]:
        """Each word's unit row dotted with :meth:`axis` (a5's direction_scores)."""
        axis = self.axis(negative, positive)
        return [float(self.vector(w) @ axis) for w in words]

    def project(self, words: Sequence[str]) -> np.ndarray:
        """The 2-D PCA map of the given served words, shape (len(words), 2)."""
        return pca_2d(np.array([self.vector(w) for w in words]))


@dataclass(frozen=True)
class DataSet:
    """Vectors the Projector can serve, with the words its controls start with."""

    label: str
    load: Callable[[], ProjectorModel]
    presets: dict[str, str]
    served: str
    """What is served, for the note on unknown words."""
    analogy: tuple[str, str, str]
    axis: tuple[str, str]


DATASETS = {
    "glove": DataSet("GloVe 6B: 50,000 English words", ProjectorModel.from_glove, PRESETS,
                     "words served (lower-case English)", ("man", "king", "woman"), ("she her woman", "he him man")),
    "chinese": DataSet("a6's encoder: 3,000 Chinese characters", ProjectorModel.from_cloze_encoder, CHINESE_PRESETS,
                       "characters served (or words made of them)", ("上", "下", "左"), ("国", "京 市 城")),
}
