"""The checks of most_similar: , basic, types, cosine not dot, excludes token, ties, k, errors."""
from __future__ import annotations

import torch

from autograder.checks.toolbox import check, has_numpy_scores, pair_types, same_plain, similarity_pairs

from ._shared import _unchanged


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
