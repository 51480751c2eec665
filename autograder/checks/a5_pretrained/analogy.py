"""The checks of analogy: b - a + c on unit rows, its three input words left out, types and ties,
errors, and the GloVe vectors."""
from __future__ import annotations

import numpy as np
import torch

from autograder.checks.toolbox import check, has_numpy_scores, pair_types, similarity_pairs

from ._shared import (
    _Rows, _cosines, _count, _diagnoses, _has_tensor_scores, _lists_any, _rows, _top_pairs, _unit_rows, _words,
    _glove, _glove_rows,
)


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
