"""The checks of direction_scores: scores along the he - she axis, on unit rows, of the mean of
several word pairs, their types, and errors."""
from __future__ import annotations

import math

import numpy as np
import torch

from autograder.checks.toolbox import NUMPY_FLOATS, TENSOR_TYPES, check, name_the_mistakes, tensors

from ._shared import _count, _distinct, _float64, _floats, _sign_entry, _unit_rows


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
