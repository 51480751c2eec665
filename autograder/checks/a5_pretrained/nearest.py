"""The checks of nearest: cosine (not dot product) neighbours, the word itself left out, ties by
smaller index, errors, inputs left unchanged, and the 50,000 most frequent GloVe words."""
from __future__ import annotations

import numpy as np
import torch

from autograder.checks.toolbox import check, has_numpy_scores, pair_types, same_plain, similarity_pairs

from ._shared import (
    _Rows, _cosines, _count, _diagnoses, _has_tensor_scores, _lists_any, _rows, _top_pairs, _unchanged, _unit_rows,
    _words, _glove, _glove_rows,
)


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

@check
def nearest_glove(p, nearest):
    """nearest on the 50,000 most frequent GloVe words: beijing's and good's neighbours."""
    vocab, vectors = _glove()
    for word in ("beijing", "good"):
        _neighbours(p, nearest, word, vocab, vectors, 5, f"the 5 words other than {word} whose rows have the "
                    "highest cosine with its row, highest first", rows=_glove_rows(), named=", vocab, vectors",
                    after=" on the GloVe vectors")
