"""Hidden-test logic for a3_similarity: cosine similarity, neighbours and sentence vectors.

One check per notebook test cell (the check's name is the cell's grade_id); each
covers one rule the notebook states, so a function that breaks one rule loses
that cell's points and keeps the others. Value checks compare values only
(``check_dtype=False``) except in the cells about dtypes.
"""
from __future__ import annotations

import math

import torch

from autograder.checks import check
from autograder.checks import _tensors as tensors
from autograder.checks._student_values import (
    dtype_of, finite_of, has_numpy_scores, matches, name_the_mistakes, number_as_tensor, pair_types, quiz_steps,
    same_plain, seeded_randn, shape_of, similarity_pairs,
)
from autograder.checks._tensors import TENSOR_TYPES


def _unchanged(p, after: torch.Tensor, what: str) -> None:
    # Inputs are rebuilt identically on both sides, so recording them after the call
    # compares them with the reference's untouched copy.
    p.expect(after, f"{what} was modified in place; the instructions say inputs are never changed")


# --- cosine_similarity -----------------------------------------------------------

def _cosine_slips(a: torch.Tensor, b: torch.Tensor, where: str) -> list[tuple[torch.Tensor, str]]:
    """The usual slips that a and b tell apart from the right cosine: what each gives (computed in the
    grader, float64, before student code runs) and the message that names it."""
    a, b = a.to(torch.float64), b.to(torch.float64)
    dot = a @ b
    right = dot / torch.clamp(a.norm() * b.norm(), min=1e-8)
    slips = [(dot, f"cosine_similarity returned the dot product a·b {where}: divide it by |a| |b|, the product "
                   "of the two lengths"),
             (dot / torch.clamp((a @ a) * (b @ b), min=1e-8),
              f"cosine_similarity divided a·b by the squared lengths |a|² |b|² {where}: divide by the lengths "
              "themselves, |a| = sqrt(a·a) and |b| = sqrt(b·b)")]
    return [(wrong, message) for wrong, message in slips if abs(float(wrong - right)) > 1e-4]


@check
def cosine_similarity_basic(p, cosine_similarity):
    """cosine_similarity: a 0-dim tensor equal to a.b / (|a| |b|)."""
    cases = [
        (torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0]), "for perpendicular vectors", "their cosine is 0"),
        (torch.tensor([1.0, 2.0, 3.0]), torch.tensor([2.0, 4.0, 6.0]), "for vectors pointing the same way",
         "their cosine is 1"),
        (torch.tensor([1.0, -2.0]), torch.tensor([-1.0, 2.0]), "for opposite vectors", "their cosine is -1"),
        (seeded_randn(6, seed=1), seeded_randn(6, seed=2), "for two random vectors",
         "cosine is a·b divided by |a| |b|"),
    ]
    for a, b, where, rule in cases:
        slips = _cosine_slips(a, b, where)
        out = p.call(cosine_similarity, a.clone(), b.clone())
        p.expect(shape_of(out), "cosine_similarity should return a 0-dim tensor (shape ()), got {got}")
        name_the_mistakes(p, out, slips)
        p.expect(number_as_tensor(out), f"cosine_similarity gave a wrong value {where}: {rule}", check_dtype=False)
    out = p.call(cosine_similarity, seeded_randn(5, seed=3), seeded_randn(5, seed=4), eps=1e-8)
    p.expect(number_as_tensor(out), "cosine_similarity(a, b, eps=1e-8) gave a wrong value (the calls without "
                                    "eps= were right): eps only bounds the denominator, max(|a| |b|, eps)",
             check_dtype=False)


@check
def cosine_similarity_scale(p, cosine_similarity):
    """cosine_similarity is unchanged when either vector is scaled by a positive number."""
    a, b = seeded_randn(8, seed=11), seeded_randn(8, seed=12)
    where = "for two random vectors of length 8"
    slips = _cosine_slips(a, b, where)
    out = p.call(cosine_similarity, a.clone(), b.clone())
    name_the_mistakes(p, out, slips)
    p.expect(number_as_tensor(out), f"cosine_similarity gave a wrong value {where}: it is a·b / (|a| |b|)",
             check_dtype=False)
    for scale_a, scale_b in [(10.0, 1.0), (1.0, 0.001), (250.0, 0.5)]:
        out = p.call(cosine_similarity, a * scale_a, b * scale_b, what=f"cosine_similarity(a * {scale_a:g}, "
                                                                       f"b * {scale_b:g})")
        p.expect(number_as_tensor(out), f"cosine_similarity(a * {scale_a:g}, b * {scale_b:g}) differs from "
                 "cosine_similarity(a, b), which was right: scaling a vector by a positive number must not change "
                 "its cosine, which depends only on the directions (divide a·b by |a| |b|)", check_dtype=False)


@check
def cosine_similarity_zero_vector(p, cosine_similarity):
    """cosine_similarity is 0.0 (never NaN) when a vector is zero."""
    zero, other = torch.zeros(4), seeded_randn(4, seed=21)
    for a, b, name in [(zero, other, "torch.zeros(4), a random vector"),
                       (other, zero, "a random vector, torch.zeros(4)"),
                       (zero, zero, "torch.zeros(4), torch.zeros(4)")]:
        out = p.call(cosine_similarity, a, b, what=f"cosine_similarity({name})")
        p.expect(finite_of(number_as_tensor(out)), f"cosine_similarity({name}) gave NaN (or inf): a zero vector has "
                 "length 0, and 0 / 0 is NaN; divide by max(|a| |b|, eps) instead, which gives 0.0")
        p.expect(number_as_tensor(out), f"cosine_similarity({name}) should be 0.0 (a zero vector has no direction): "
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
        name = str(dtype)[6:]
        p.expect(dtype_of(out), f"cosine_similarity of two {name} vectors returned {{got}}; it should return a "
                                f"{name} tensor (the vectors' dtype)")
        _unchanged(p, a, "a")
        _unchanged(p, b, "b")


# --- cosine_matrix ----------------------------------------------------------------

def _matrix_slips(vectors: torch.Tensor, where: str) -> list[tuple[torch.Tensor, str]]:
    """The usual slips that ``vectors`` tell apart from the right matrix: what each gives (computed in
    the grader, float64, before student code runs) and the message that names it."""
    v = vectors.to(torch.float64)
    norms = v.norm(dim=1)
    right = (v @ v.T) / torch.clamp(torch.outer(norms, norms), min=1e-8)
    by_columns = v / torch.clamp(v.norm(dim=0, keepdim=True), min=1e-8)
    slips = [(v @ v.T, f"cosine_matrix returned the dot products of the rows, vectors @ vectors.T ({where}): "
                       "divide [i, j] by |row i| |row j|, or normalise each row to length 1 first"),
             (by_columns @ by_columns.T, f"cosine_matrix normalised the columns (dim=0) instead of the rows ({where}): "
                                         "normalise each row (dim=1), since each row is one vector")]
    return [(wrong, message) for wrong, message in slips if float((wrong - right).abs().max()) > 1e-4]


def _entries(out, n: int):
    """The entries of an exact (n, n) real tensor as nested lists of floats; None for anything else."""
    if type(out) not in TENSOR_TYPES or tuple(tensors.shape(out)) != (n, n) or tensors.is_complex(out):
        return None
    return tensors.tolist(tensors.to(tensors.detach(out), torch.float64))


@check
def cosine_matrix_basic(p, cosine_matrix):
    """cosine_matrix: an (n, n) matrix of pairwise cosine similarities."""
    vectors = torch.tensor([[1.0, 0.0], [0.0, 2.0], [3.0, 3.0]])
    slips = _matrix_slips(vectors, "for [[1, 0], [0, 2], [3, 3]]")
    out = p.call(cosine_matrix, vectors.clone())
    p.expect(shape_of(out), "cosine_matrix of 3 vectors should have shape (3, 3), got {got}")
    name_the_mistakes(p, out, slips)
    p.expect(out, "cosine_matrix gave wrong values for [[1, 0], [0, 2], [3, 3]]: [i, j] is the cosine of rows "
                  "i and j", check_dtype=False)
    vectors = seeded_randn(5, 4, seed=51)
    slips = _matrix_slips(vectors, "for 5 random vectors")
    out = p.call(cosine_matrix, vectors.clone())
    p.expect(shape_of(out), "cosine_matrix of 5 vectors should have shape (5, 5), got {got}")
    name_the_mistakes(p, out, slips)
    p.expect(out, "cosine_matrix gave wrong values for 5 random vectors: [i, j] is the cosine of rows i and j",
             check_dtype=False)


@check
def cosine_matrix_scale(p, cosine_matrix):
    """cosine_matrix does not change when rows are scaled by positive numbers."""
    vectors = seeded_randn(4, 6, seed=61)
    slips = _matrix_slips(vectors, "for 4 random vectors")
    out = p.call(cosine_matrix, vectors.clone())
    name_the_mistakes(p, out, slips)
    p.expect(out, "cosine_matrix gave wrong values for 4 random vectors: [i, j] is the cosine of rows i and j",
             check_dtype=False)
    scales = torch.tensor([[0.01], [1.0], [40.0], [3.0]])
    out = p.call(cosine_matrix, vectors * scales)
    p.expect(out, "cosine_matrix changed when the rows were scaled by 0.01, 1, 40 and 3 (it was right unscaled): "
                  "a cosine ignores length, so normalise each row (vector) by its own length", check_dtype=False)
    out = p.call(cosine_matrix, seeded_randn(1, 3, seed=62) * 7)
    p.expect(out, "cosine_matrix of a single vector should be [[1.0]]", check_dtype=False)


@check
def cosine_matrix_zero_row(p, cosine_matrix):
    """cosine_matrix gives 0.0 in a zero row's row and column, the diagonal included."""
    # Unit rows around the zero row: the other entries are plain dot products, so a matrix that
    # forgets to normalise fails the cells about values, not this one.
    vectors = seeded_randn(4, 3, seed=71)
    vectors = vectors / vectors.norm(dim=1, keepdim=True)
    vectors[2] = 0.0
    slips = _matrix_slips(vectors, "for vectors whose row 2 is zero")
    out = p.call(cosine_matrix, vectors.clone(), what="cosine_matrix(vectors whose row 2 is zero)")
    p.expect(shape_of(out), "cosine_matrix of 4 vectors should have shape (4, 4), got {got}")
    entries = _entries(out, 4)
    cross = None if entries is None else entries[2] + [row[2] for row in entries]
    p.expect(None if cross is None else all(math.isfinite(x) for x in cross),
             "cosine_matrix gave NaN (or inf) in row or column 2, where row 2 of vectors is zero: 0 / 0 is NaN; "
             "divide by max(|row i| |row j|, 1e-8) so that a zero row gives 0.0")
    p.expect(None if entries is None else entries[2][2],
             "cosine_matrix put {got} at [2, 2], where row 2 of vectors is zero: a zero vector's cosine with "
             "itself is 0.0 too (only non-zero rows have 1.0 on the diagonal)")
    p.expect(cross, "cosine_matrix should have 0.0 everywhere in row 2 and column 2, where row 2 of vectors "
                    "is zero: divide by max(|row i| |row j|, 1e-8)")
    name_the_mistakes(p, out, slips)
    p.expect(out, "cosine_matrix is right in the zero row and column but wrong elsewhere: [i, j] is still the "
                  "cosine of rows i and j", check_dtype=False)


@check
def cosine_matrix_dtype(p, cosine_matrix):
    """cosine_matrix keeps the float dtype and leaves its input alone."""
    for dtype in (torch.float32, torch.float64):
        vectors = seeded_randn(3, 4, seed=81, dtype=dtype)
        out = p.call(cosine_matrix, vectors)
        name = str(dtype)[6:]
        p.expect(dtype_of(out), f"cosine_matrix of {name} vectors returned {{got}}; it should return a {name} "
                                "tensor (the vectors' dtype)")
        _unchanged(p, vectors, "vectors")


# --- most_similar ----------------------------------------------------------------

VOCAB = {"猫": 0, "狗": 1, "鱼": 2, "鸟": 3, "车": 4, "船": 5}
WEIGHT = torch.tensor([[1.0, 0.1, 0.0], [0.9, 0.3, 0.1], [0.5, 0.0, 0.9],
                       [0.7, 0.6, 0.2], [-1.0, 0.2, 0.1], [0.0, -0.2, 1.0]])


def _unit_rows(weight: torch.Tensor) -> torch.Tensor:
    """``weight`` with rows of length 1: a dot product then equals the cosine, so a cell that is not
    about cosine versus dot product (ties, k, the token itself) judges its own rule only."""
    return weight / weight.norm(dim=1, keepdim=True)


def _table() -> tuple[dict[str, int], torch.Tensor]:
    """Fresh copies of the shared vocabulary and weight (student code may change its inputs)."""
    return dict(VOCAB), WEIGHT.clone()


def _scores(token: str, vocab: dict[str, int], weight: torch.Tensor) -> tuple[dict[str, float], dict[str, float]]:
    """Every token's cosine and dot product with ``token``, computed in the grader (float64)
    before student code runs."""
    w = weight.to(torch.float64)
    query = w[vocab[token]]
    dots = w @ query
    cosines = dots / torch.clamp(w.norm(dim=1) * query.norm(), min=1e-8)
    return {t: float(cosines[i]) for t, i in vocab.items()}, {t: float(dots[i]) for t, i in vocab.items()}


def _top_values(scores: dict[str, float], token: str, n: int) -> list[float]:
    """The n highest scores of the other tokens, highest first."""
    return sorted((s for t, s in scores.items() if t != token), reverse=True)[:n]


def _k_hint(k: int, size: int) -> str:
    if k < size:
        return ""
    return (f"k={k} is allowed although the vocabulary has only {size} tokens: it lists all {size - 1} other tokens. "
            f"If you use torch.topk, never ask it for more rows than weight has ({size}): it raises for a k "
            "larger than its input")


def _neighbours(p, most_similar, token: str, vocab: dict[str, int], weight: torch.Tensor, k: int | None = None,
                values_rule: str = "") -> None:
    """Call most_similar and judge its answer in steps, each with a message true of what it finds:
    a list of pairs, how many, the token itself left out, the similarities in order, each similarity
    with its own token, and last the order of tokens of equal similarity (the tie rule)."""
    size = len(vocab)
    n = min(3 if k is None else k, size - 1)
    cosines, dots = _scores(token, vocab, weight)
    right, by_dot = _top_values(cosines, token, n), _top_values(dots, token, n)
    call = f"most_similar({token!r}, vocab, weight" + ("" if k is None else f", k={k}") + ")"
    # Copies, so a submission that changes its inputs cannot change the caller's tables.
    args = (token, dict(vocab), weight.clone()) + (() if k is None else (k,))
    out = p.call(most_similar, *args, what=call, hint=_k_hint(3 if k is None else k, size))
    pairs = similarity_pairs(out)
    readable = type(out) is list and pairs is not out  # a list of 2-item pairs, read by exact type
    p.expect(True if readable else out,
             f"{call} should return a list of (token, similarity) pairs; it returned {{got}}")
    if k is None:
        count = f"{call} gave {{got}} pairs; without k it should give 3 (k defaults to 3)"
    elif k < size:
        count = f"{call} gave {{got}} pairs; it should give exactly k={k}"
    else:
        count = (f"{call} gave {{got}} pairs; k={k} is at least the vocabulary size ({size} tokens), so it should "
                 f"give all {size - 1} other tokens")
    p.expect(len(pairs) if readable else None, count)
    tokens = [t for t, _ in pairs] if readable else []
    values = [s for _, s in pairs] if readable else []
    # The token itself, with its own row's similarity (a pair that only bears its name is judged below).
    p.expect(readable and any(type(t) is str and t == token and type(s) in (int, float)
                              and abs(s - cosines[token]) <= 1e-5 for t, s in pairs),
             f"{call} listed {token!r} itself among its neighbours: never list the token itself; leave out its "
             "own row by its name or index (not by dropping the first result: another token can have the same "
             "vector)")
    p.expect([type(s) in (int, float) for s in values],
             f"{call} gave similarities that are not Python numbers: each similarity is a Python float "
             "(.item() of a 0-dim tensor)")
    if max((abs(a - b) for a, b in zip(right, by_dot)), default=0.0) > 1e-4:
        p.expect(same_plain(values, by_dot),
                 f"{call} ranks by dot product: long vectors win whatever their direction; rank by cosine "
                 "similarity, a·b / (|a| |b|), and give that as the similarity")
    p.expect(values, f"{call} gave wrong similarities: they should be the {n} highest cosine similarities between "
                     f"{token}'s row and the other tokens' rows, highest first{values_rule}")
    p.expect([type(t) is str and t in cosines and type(s) in (int, float) and abs(s - cosines[t]) <= 1e-5
              for t, s in pairs] if readable else None,
             f"{call} gave the right similarities, but paired some of them with the wrong token: a pair is "
             f"(token, the cosine of that token's row with {token}'s row); check how each row index becomes its "
             "token (after removing a row, the positions past it are no longer vocabulary indices)")
    p.expect(tokens, f"{call} gave the right similarities but the wrong tokens among equal ones: equal "
                     "similarities go by smaller vocabulary index (not by the characters), which also decides "
                     "which of them make the top k; torch.topk, and torch.sort without stable=True, leave "
                     "equal values in any order")


@check
def most_similar_basic(p, most_similar):
    """most_similar: the k tokens with the highest cosine, highest first."""
    _neighbours(p, most_similar, "猫", VOCAB, WEIGHT, 3)
    _neighbours(p, most_similar, "船", VOCAB, WEIGHT, 2)
    _neighbours(p, most_similar, "车", VOCAB, WEIGHT)


@check
def most_similar_types(p, most_similar):
    """most_similar returns a list of (str, float) tuples with Python floats."""
    for token, k in (("鱼", 2), ("车", 2)):
        out = p.call(most_similar, token, *_table(), k, what=f"most_similar({token!r}, vocab, weight, k={k})")
        p.expect(has_numpy_scores(out), "most_similar returned the similarities as numpy floats: make each one a "
                                        "Python float (float(x), or .item() of a 0-dim tensor)")
        p.expect(pair_types(out), "most_similar should return a list of (token, similarity) tuples: "
                                     "token a str, similarity a Python float (use .item()), not a tensor")


@check
def most_similar_cosine_not_dot(p, most_similar):
    """most_similar ranks by cosine, not by dot product (long vectors do not win)."""
    vocab = {"甲": 0, "乙": 1, "丙": 2, "丁": 3}
    weight = torch.tensor([[1.0, 0.0], [10.0, 10.0], [0.5, 0.05], [-3.0, 1.0]])
    _neighbours(p, most_similar, "甲", vocab, weight, 2,
                values_rule=" (cosine, the direction: a long vector does not win by its length)")


@check
def most_similar_excludes_token(p, most_similar):
    """most_similar never lists the token itself, even when another token has the same vector."""
    weight = WEIGHT.clone()
    weight[1] = weight[3]  # 狗 and 鸟 now share a vector: 鸟's neighbour 狗 has cosine 1, like 鸟 itself
    weight = _unit_rows(weight)
    _neighbours(p, most_similar, "鸟", VOCAB, weight, 2)
    _neighbours(p, most_similar, "狗", VOCAB, weight, 2)


@check
def most_similar_ties(p, most_similar):
    """most_similar breaks ties by the smaller vocabulary index."""
    vocab = {"子": 0, "丑": 1, "寅": 2, "卯": 3, "辰": 4, "巳": 5}
    weight = _unit_rows(torch.tensor([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [1.0, 0.0], [1.0, 0.0], [1.0, 1.0]]))
    # 丑 comes before its equals 卯 and 辰, so a submission that drops the first result instead of
    # the token itself is judged by the cell about the token itself, not here; k < V - 1 throughout,
    # so the cut decides which of several equal similarities are listed.
    _neighbours(p, most_similar, "丑", vocab, weight, 4)
    _neighbours(p, most_similar, "子", vocab, weight, 4)
    # Index order against code-point order (丑 < 卯 < 子), so sorting ties by the token itself is caught.
    _neighbours(p, most_similar, "子", {"子": 0, "卯": 1, "丑": 2, "午": 3},
                torch.tensor([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.0, 1.0]]), 2)


@check
def most_similar_k(p, most_similar):
    """most_similar: k = 1 gives one pair; k >= V gives all V - 1 others; vocab and weight are left alone."""
    weight = _unit_rows(WEIGHT)
    _neighbours(p, most_similar, "鸟", VOCAB, weight, 1)
    _neighbours(p, most_similar, "鸟", VOCAB, weight, 6)
    _neighbours(p, most_similar, "猫", VOCAB, weight, 50)
    vocab, weight = _table()
    p.call(most_similar, "猫", vocab, weight, 6, what="most_similar('猫', vocab, weight, k=6)", hint=_k_hint(6, 6))
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
# Added to a failed call only when the error names a whitespace character (a KeyError for ' ', '\t', '\n').
_WHITESPACE_HINT = ("every whitespace character is skipped, tabs and newlines included: test each character "
                    "with ch.isspace() (text.replace(' ', '') and text.split(' ') keep tabs and newlines)",
                    ("' '", "\\t", "\\n"))


def _sentence_weight(seed: int = 91, dtype=torch.float32) -> torch.Tensor:
    return seeded_randn(len(SENTENCE_VOCAB), 4, seed=seed, dtype=dtype)


def _sentence(p, sentence_vector, text: str, weight: torch.Tensor, reduce: str | None = None):
    """Call sentence_vector on copies of the shared inputs, described as the notebook writes the call."""
    call = f"sentence_vector({text!r}, vocab, weight" + ("" if reduce is None else f", reduce={reduce!r}") + ")"
    kwargs = {} if reduce is None else {"reduce": reduce}
    hint, hint_when = _WHITESPACE_HINT
    return call, p.call(sentence_vector, text, dict(SENTENCE_VOCAB), weight.clone(), what=call, hint=hint,
                        hint_when=hint_when, **kwargs)


@check
def sentence_vector_basic(p, sentence_vector):
    """sentence_vector: the sum or mean of the characters' rows, shape (d,)."""
    weight = _sentence_weight()
    for text in ("我爱北京", "你", "北京北京"):
        rows = weight[[SENTENCE_VOCAB[ch] for ch in text]].to(torch.float64)
        distinct = weight[sorted({SENTENCE_VOCAB[ch] for ch in text})].to(torch.float64)
        call, out = _sentence(p, sentence_vector, text, weight)
        p.expect(shape_of(out), f"{call} should return shape (d,) = (4,), got {{got}}")
        if len(distinct) < len(rows):
            p.expect(matches(out, distinct.sum(dim=0)),
                     f"{call} counts a repeated character once: each occurrence adds its row "
                     "(北京北京 is 2 × the row of 北 + 2 × the row of 京)")
        p.expect(out, f"{call} gave a wrong value: by default (reduce='sum') it is the sum of the rows of the "
                      "characters of the text", check_dtype=False)
        call, out = _sentence(p, sentence_vector, text, weight, reduce="mean")
        p.expect(out, f"{call} gave a wrong value: it is the mean of the rows of the characters of the text",
                 check_dtype=False)


@check
def sentence_vector_whitespace(p, sentence_vector):
    """sentence_vector skips whitespace (and a mean counts only the characters)."""
    weight = _sentence_weight()
    text = " 我爱\t北京\n"
    rows = weight[[SENTENCE_VOCAB[ch] for ch in text if not ch.isspace()]].to(torch.float64)
    for reduce in ("sum", "mean"):
        call, out = _sentence(p, sentence_vector, text, weight, reduce=reduce)
        if reduce == "mean":
            p.expect(matches(out, rows.sum(dim=0) / len(text)),
                     f"{call} divides by len(text) = {len(text)}, whitespace included: a mean divides by the "
                     f"number of non-whitespace characters ({len(rows)} here)")
        p.expect(out, f"{call} gave a wrong value: whitespace (str.isspace) is skipped"
                      + (", and a mean divides by the number of non-whitespace characters" if reduce == "mean" else ""),
                 check_dtype=False)


@check
def sentence_vector_empty(p, sentence_vector):
    """sentence_vector of an empty or all-whitespace text is a zero vector of shape (d,)."""
    weight = _sentence_weight()
    for text in ("", "  \n"):
        for reduce in ("sum", "mean"):
            call, out = _sentence(p, sentence_vector, text, weight, reduce=reduce)
            p.expect(shape_of(out), f"{call} should be zeros of shape (d,) = (4,), got {{got}}")
            p.expect(finite_of(out), f"{call} gave NaN: there are no rows to average (0 / 0); return zeros of "
                                     "shape (d,) for a text without characters")
            p.expect(out, f"{call} should be zeros of shape (d,): the text has no characters", check_dtype=False)


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
