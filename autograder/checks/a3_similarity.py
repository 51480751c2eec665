"""Hidden-test logic for a3_similarity: cosine similarity, neighbours and sentence vectors.

One check per notebook test cell (the check's name is the cell's grade_id); each
covers one rule the notebook states, so a function that breaks one rule loses
that cell's points and keeps the others. Value checks compare values only
(``check_dtype=False``) except in the cells about dtypes.
"""
from __future__ import annotations

import torch

from autograder.checks import check
from autograder.checks import _tensors as tensors
from autograder.checks._student_values import (
    dtype_of, number_as_tensor, pair_types, quiz_steps, seeded_randn, shape_of, similarity_pairs,
)


def _unchanged(p, after: torch.Tensor, what: str) -> None:
    # Inputs are rebuilt identically on both sides, so recording them after the call
    # compares them with the reference's untouched copy.
    p.expect(after, f"{what} was modified in place; the instructions say inputs are never changed")


# --- cosine_similarity -----------------------------------------------------------

@check
def cosine_similarity_basic(p, cosine_similarity):
    """cosine_similarity: a 0-dim tensor equal to a.b / (|a| |b|)."""
    cases = [
        (torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0]), "perpendicular vectors have cosine 0"),
        (torch.tensor([1.0, 2.0, 3.0]), torch.tensor([2.0, 4.0, 6.0]), "vectors pointing the same way have cosine 1"),
        (torch.tensor([1.0, -2.0]), torch.tensor([-1.0, 2.0]), "opposite vectors have cosine -1"),
        (seeded_randn(6, seed=1), seeded_randn(6, seed=2), "cosine is a.b divided by |a| |b|"),
    ]
    for a, b, rule in cases:
        out = p.call(cosine_similarity, a, b)
        p.expect(shape_of(out), "cosine_similarity should return a 0-dim tensor (shape ()), got {got}")
        p.expect(number_as_tensor(out), f"cosine_similarity gave a wrong value: {rule}", check_dtype=False)
    out = p.call(cosine_similarity, seeded_randn(5, seed=3), seeded_randn(5, seed=4), eps=1e-8)
    p.expect(number_as_tensor(out), "cosine_similarity(a, b, eps=1e-8) gave a wrong value", check_dtype=False)


@check
def cosine_similarity_scale(p, cosine_similarity):
    """cosine_similarity is unchanged when either vector is scaled by a positive number."""
    a, b = seeded_randn(8, seed=11), seeded_randn(8, seed=12)
    for scale_a, scale_b in [(1.0, 1.0), (10.0, 1.0), (1.0, 0.001), (250.0, 0.5)]:
        out = p.call(cosine_similarity, a * scale_a, b * scale_b)
        p.expect(number_as_tensor(out), "scaling a vector by a positive number changed cosine_similarity; "
                      "it should only depend on the directions", check_dtype=False)


@check
def cosine_similarity_zero_vector(p, cosine_similarity):
    """cosine_similarity is 0.0 (never NaN) when a vector is zero."""
    zero, other = torch.zeros(4), seeded_randn(4, seed=21)
    for a, b in [(zero, other), (other, zero), (zero, zero)]:
        out = p.call(cosine_similarity, a, b)
        p.expect(number_as_tensor(out), "cosine_similarity with a zero vector should be 0.0 (not NaN): "
                      "divide by max(|a| |b|, eps)", check_dtype=False)


@check
def cosine_similarity_length_mismatch(p, cosine_similarity):
    """cosine_similarity raises ValueError for vectors of different lengths."""
    p.raises(ValueError, cosine_similarity, seeded_randn(3, seed=31), seeded_randn(4, seed=32),
             message="cosine_similarity of vectors of lengths 3 and 4 should raise ValueError, but raised {got}")
    p.raises(ValueError, cosine_similarity, seeded_randn(1, seed=33), seeded_randn(5, seed=34),
             message="cosine_similarity of vectors of lengths 1 and 5 should raise ValueError, but raised {got}")


@check
def cosine_similarity_dtype(p, cosine_similarity):
    """cosine_similarity keeps the float dtype (float32, float64) and leaves its inputs alone."""
    for dtype in (torch.float32, torch.float64):
        a, b = seeded_randn(5, seed=41, dtype=dtype), seeded_randn(5, seed=42, dtype=dtype)
        out = p.call(cosine_similarity, a, b)
        p.expect(dtype_of(out), f"cosine_similarity of two {str(dtype)[6:]} vectors returned {{got}}; "
                                "it should keep their dtype")
        _unchanged(p, a, "a")
        _unchanged(p, b, "b")


# --- cosine_matrix ----------------------------------------------------------------

@check
def cosine_matrix_basic(p, cosine_matrix):
    """cosine_matrix: an (n, n) matrix of pairwise cosine similarities."""
    out = p.call(cosine_matrix, torch.tensor([[1.0, 0.0], [0.0, 2.0], [3.0, 3.0]]))
    p.expect(shape_of(out), "cosine_matrix of 3 vectors should have shape (3, 3), got {got}")
    p.expect(out, "cosine_matrix gave wrong values: [i, j] is the cosine of rows i and j", check_dtype=False)
    out = p.call(cosine_matrix, seeded_randn(5, 4, seed=51))
    p.expect(shape_of(out), "cosine_matrix of 5 vectors should have shape (5, 5), got {got}")
    p.expect(out, "cosine_matrix gave wrong values for random vectors: [i, j] is the cosine of rows i and j",
             check_dtype=False)


@check
def cosine_matrix_scale(p, cosine_matrix):
    """cosine_matrix does not change when rows are scaled by positive numbers."""
    vectors = seeded_randn(4, 6, seed=61)
    scales = torch.tensor([[0.01], [1.0], [40.0], [3.0]])
    out = p.call(cosine_matrix, vectors * scales)
    p.expect(out, "cosine_matrix changed when rows were scaled by positive numbers: "
                  "normalise each row (vector) by its own length", check_dtype=False)
    out = p.call(cosine_matrix, seeded_randn(1, 3, seed=62) * 7)
    p.expect(out, "cosine_matrix of a single vector should be [[1.0]]", check_dtype=False)


@check
def cosine_matrix_zero_row(p, cosine_matrix):
    """cosine_matrix gives 0.0 in a zero row's row and column, the diagonal included."""
    vectors = seeded_randn(4, 3, seed=71)
    vectors[2] = 0.0
    out = p.call(cosine_matrix, vectors)
    p.expect(out, "cosine_matrix with a zero row should have 0.0 everywhere in that row and column, "
                  "the diagonal included (and never NaN)", check_dtype=False)


@check
def cosine_matrix_dtype(p, cosine_matrix):
    """cosine_matrix keeps the float dtype and leaves its input alone."""
    for dtype in (torch.float32, torch.float64):
        vectors = seeded_randn(3, 4, seed=81, dtype=dtype)
        out = p.call(cosine_matrix, vectors)
        p.expect(dtype_of(out), f"cosine_matrix of {str(dtype)[6:]} vectors returned {{got}}; it should keep their dtype")
        _unchanged(p, vectors, "vectors")


# --- most_similar ----------------------------------------------------------------

VOCAB = {"猫": 0, "狗": 1, "鱼": 2, "鸟": 3, "车": 4, "船": 5}
WEIGHT = torch.tensor([[1.0, 0.1, 0.0], [0.9, 0.3, 0.1], [0.5, 0.0, 0.9],
                       [0.7, 0.6, 0.2], [-1.0, 0.2, 0.1], [0.0, -0.2, 1.0]])


def _table() -> tuple[dict[str, int], torch.Tensor]:
    """Fresh copies of the shared vocabulary and weight (student code may change its inputs)."""
    return dict(VOCAB), WEIGHT.clone()


def _neighbours(p, most_similar, token, vocab, weight, k, rule):
    # Copies, so a submission that changes its inputs cannot change the shared constants.
    hint = "" if k < len(vocab) else (
        f"k={k} is not smaller than the vocabulary ({len(vocab)} tokens), which is allowed: then list all "
        f"{len(vocab) - 1} other tokens (take at most V - 1 of them, e.g. min(k, V - 1); torch.topk refuses a "
        "k larger than its input)")
    out = p.call(most_similar, token, dict(vocab), weight.clone(), k, hint=hint,
                 what=f"most_similar({token!r}, vocab, weight, k={k})")
    p.expect(similarity_pairs(out), f"most_similar({token!r}, k={k}) gave the wrong neighbours: {rule}")
    return out


@check
def most_similar_basic(p, most_similar):
    """most_similar: the k tokens with the highest cosine, highest first."""
    _neighbours(p, most_similar, "猫", VOCAB, WEIGHT, 3, "the k other tokens with the highest cosine, highest first")
    _neighbours(p, most_similar, "船", VOCAB, WEIGHT, 2, "the k other tokens with the highest cosine, highest first")
    out = p.call(most_similar, "车", *_table())
    p.expect(similarity_pairs(out), "most_similar without k should list the 3 most similar tokens (k defaults to 3)")


@check
def most_similar_types(p, most_similar):
    """most_similar returns a list of (str, float) tuples with Python floats."""
    for token, k in (("鱼", 2), ("车", 2)):
        out = p.call(most_similar, token, *_table(), k)
        p.expect(pair_types(out), "most_similar should return a list of (token, similarity) tuples: "
                                     "token a str, similarity a Python float (use .item()), not a tensor")


@check
def most_similar_cosine_not_dot(p, most_similar):
    """most_similar ranks by cosine, not by dot product (long vectors do not win)."""
    vocab = {"甲": 0, "乙": 1, "丙": 2, "丁": 3}
    weight = torch.tensor([[1.0, 0.0], [10.0, 10.0], [0.5, 0.05], [-3.0, 1.0]])
    _neighbours(p, most_similar, "甲", vocab, weight, 2,
                "rank by cosine similarity (direction), not by dot product (length wins)")


@check
def most_similar_excludes_token(p, most_similar):
    """most_similar never lists the token itself, even when another token has the same vector."""
    weight = WEIGHT.clone()
    weight[1] = weight[3]  # 狗 and 鸟 now share a vector: 鸟's neighbour 狗 has cosine 1, like 鸟 itself
    _neighbours(p, most_similar, "鸟", VOCAB, weight, 2, "skip the token itself (by name), not simply the first result")
    _neighbours(p, most_similar, "狗", VOCAB, weight, 2, "skip the token itself (by name), not simply the first result")


@check
def most_similar_ties(p, most_similar):
    """most_similar breaks ties by the smaller vocabulary index."""
    vocab = {"子": 0, "丑": 1, "寅": 2, "卯": 3, "辰": 4, "巳": 5}
    weight = torch.tensor([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [1.0, 0.0], [1.0, 0.0], [1.0, 1.0]])
    _neighbours(p, most_similar, "辰", vocab, weight, 4, "equal similarities are listed by smaller vocabulary index first")
    _neighbours(p, most_similar, "子", vocab, weight, 5, "equal similarities are listed by smaller vocabulary index first")
    # Index order against code-point order, so sorting ties by the token itself is caught.
    reversed_vocab = {"卯": 0, "丑": 1, "子": 2}
    _neighbours(p, most_similar, "子", reversed_vocab, torch.ones(3, 2), 2,
                "equal similarities are listed by smaller vocabulary index first (not by the token itself)")


@check
def most_similar_k(p, most_similar):
    """most_similar: k = 1 gives one pair; k >= V gives all V - 1 others; vocab and weight are left alone."""
    _neighbours(p, most_similar, "鸟", VOCAB, WEIGHT, 1, "k=1 gives exactly one pair")
    _neighbours(p, most_similar, "鸟", VOCAB, WEIGHT, 6, "k equal to the vocabulary size gives all V - 1 other tokens")
    _neighbours(p, most_similar, "猫", VOCAB, WEIGHT, 50, "k larger than the vocabulary gives all V - 1 other tokens")
    vocab, weight = _table()
    p.call(most_similar, "猫", vocab, weight, 6)
    _unchanged(p, weight, "most_similar's weight")
    p.expect(vocab, "most_similar modified the vocabulary it was given; the instructions say inputs are never changed")


@check
def most_similar_errors(p, most_similar):
    """most_similar raises KeyError for an unknown token and ValueError for k < 1."""
    p.raises(KeyError, most_similar, "龙", *_table(), 3,
             message="most_similar of a token not in vocab should raise KeyError, but raised {got}")
    p.raises(ValueError, most_similar, "猫", *_table(), 0,
             message="most_similar with k=0 should raise ValueError, but raised {got}")
    p.raises(ValueError, most_similar, "猫", *_table(), -2,
             message="most_similar with k=-2 should raise ValueError, but raised {got}")


# --- sentence_vector -------------------------------------------------------------

SENTENCE_VOCAB = {"我": 0, "爱": 1, "北": 2, "京": 3, "你": 4}


def _sentence_weight(seed: int = 91, dtype=torch.float32) -> torch.Tensor:
    return seeded_randn(len(SENTENCE_VOCAB), 4, seed=seed, dtype=dtype)


@check
def sentence_vector_basic(p, sentence_vector):
    """sentence_vector: the sum or mean of the characters' rows, shape (d,)."""
    weight = _sentence_weight()
    for text in ("我爱北京", "你", "北京北京"):
        out = p.call(sentence_vector, text, SENTENCE_VOCAB, weight)
        p.expect(shape_of(out), "sentence_vector should return shape (d,), got {got}")
        p.expect(out, f"sentence_vector({text!r}) gave a wrong value: by default it is the sum of the "
                      "characters' rows (a repeated character counts each time)", check_dtype=False)
        out = p.call(sentence_vector, text, SENTENCE_VOCAB, weight, reduce="mean")
        p.expect(out, f"sentence_vector({text!r}, reduce='mean') gave a wrong value: it is the mean of "
                      "the characters' rows", check_dtype=False)


@check
def sentence_vector_whitespace(p, sentence_vector):
    """sentence_vector skips whitespace (and a mean counts only the characters)."""
    weight = _sentence_weight()
    for reduce in ("sum", "mean"):
        out = p.call(sentence_vector, " 我爱\t北京\n", SENTENCE_VOCAB, weight, reduce=reduce)
        p.expect(out, f"sentence_vector with reduce={reduce!r} should skip whitespace (str.isspace), "
                      "and a mean divides by the number of non-whitespace characters", check_dtype=False)


@check
def sentence_vector_empty(p, sentence_vector):
    """sentence_vector of an empty or all-whitespace text is a zero vector of shape (d,)."""
    weight = _sentence_weight()
    for text in ("", "  \n"):
        for reduce in ("sum", "mean"):
            out = p.call(sentence_vector, text, SENTENCE_VOCAB, weight, reduce=reduce)
            p.expect(out, f"sentence_vector({text!r}, reduce={reduce!r}) should be zeros of shape (d,) "
                          "(never NaN); got {got}", check_dtype=False)


@check
def sentence_vector_errors(p, sentence_vector):
    """sentence_vector raises ValueError for another reduce and KeyError for an unknown character."""
    weight = _sentence_weight()
    for reduce in ("max", "Mean", "average"):
        p.raises(ValueError, sentence_vector, "我爱你", SENTENCE_VOCAB, weight, reduce=reduce,
                 message=f"sentence_vector with reduce={reduce!r} should raise ValueError, but raised {{got}}")
    p.raises(KeyError, sentence_vector, "我爱上海", SENTENCE_VOCAB, weight,
             message="sentence_vector of a text with a character not in vocab should raise KeyError, but raised {got}")


@check
def sentence_vector_dtype(p, sentence_vector):
    """sentence_vector keeps the weight's dtype (empty text included) and leaves it alone."""
    for dtype in (torch.float32, torch.float64):
        weight = _sentence_weight(92, dtype)
        for text, reduce in (("我爱你", "mean"), ("北京", "sum"), ("", "sum")):
            out = p.call(sentence_vector, text, SENTENCE_VOCAB, weight, reduce=reduce)
            p.expect(dtype_of(out), f"sentence_vector({text!r}) with a {str(dtype)[6:]} weight returned {{got}}; "
                                    "it should keep the weight's dtype")
        _unchanged(p, weight, "weight")


# --- quizzes --------------------------------------------------------------------

@check
def quiz_scaled_vector_answer(p, quiz_scaled_vector):
    """Quiz: what scaling a vector does to its cosine similarity."""
    quiz_steps(p, quiz_scaled_vector, "the section on why cosine ignores length")


@check
def quiz_zero_vector_answer(p, quiz_zero_vector):
    """Quiz: the cosine similarity of a zero vector."""
    quiz_steps(p, quiz_zero_vector, "the section on the zero vector")


@check
def quiz_sum_or_mean_answer(p, quiz_sum_or_mean):
    """Quiz: sum and mean sentence vectors compared by cosine."""
    quiz_steps(p, quiz_sum_or_mean, "the section on sentence vectors")
