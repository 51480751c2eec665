"""Hidden-test logic for a1_lookup: vocabulary, one-hot and the lookup table.

One check per notebook test cell (the check's name is the cell's grade_id).
Each check covers one rule the notebook states, so a function that breaks one
rule loses that cell's points and keeps the others. Value checks after the
dtype cell compare values only (``check_dtype=False``) for the same reason.
"""
from __future__ import annotations

import torch

from autograder.checks import check
from autograder.checks._student_values import (
    backprop, dtype_of, grad_of, quiz_steps, requires_grad_of, seeded_randn, shape_of, vocab_by_index,
)

ARTICLE_VOCAB = {"北": 0, "京": 1, "欢": 2, "迎": 3, "你": 4}


# --- build_vocab -------------------------------------------------------------------

def _vocab_steps(p, build_vocab, text: str, rule: str) -> None:
    out = p.call(build_vocab, text)
    p.expect(type(out) is dict, f"build_vocab({text!r}) should return a plain dict")
    p.expect(vocab_by_index(out), f"build_vocab({text!r}) gave the wrong token -> index mapping: {rule}")


@check
def build_vocab_basic(p, build_vocab):
    """build_vocab: one token per character, indices in order of first appearance."""
    _vocab_steps(p, build_vocab, "北京欢迎你", "each character gets the next index, 0, 1, 2, ...")
    _vocab_steps(p, build_vocab, "你好 你好",
                 "a repeated character keeps its first index and the space is skipped")


@check
def build_vocab_whitespace(p, build_vocab):
    """build_vocab skips every whitespace character (str.isspace), not only ' '."""
    rule = "every character for which str.isspace() is True (tabs, newlines, the ideographic space) is skipped"
    _vocab_steps(p, build_vocab, "我 爱\t北京\n天安门\u3000我爱", rule)
    _vocab_steps(p, build_vocab, "\r\n a,b\x0b a", rule + "; punctuation is a token")


@check
def build_vocab_empty(p, build_vocab):
    """build_vocab of an empty or all-whitespace text is an empty dict."""
    _vocab_steps(p, build_vocab, "", "an empty text has an empty vocabulary")
    _vocab_steps(p, build_vocab, " \t\n\u3000", "a text of whitespace only has an empty vocabulary")


@check
def build_vocab_type_error(p, build_vocab):
    """build_vocab raises TypeError for anything that is not a str."""
    for bad in (["北", "京"], b"abc", None, 42):
        p.raises(TypeError, build_vocab, bad,
                 message=f"build_vocab({bad!r}) should raise TypeError (the argument is not a str), but raised {{got}}")


# --- encode ------------------------------------------------------------------------

@check
def encode_basic(p, encode):
    """encode gives the int64 index tensor of the article's sentence."""
    vocab = dict(ARTICLE_VOCAB)
    out = p.call(encode, "北京欢迎你", vocab)
    p.expect(out, "encode(\"北京欢迎你\", vocab) returned {got}, not the 1-D int64 tensor of the indices")
    out = p.call(encode, "京", vocab)
    p.expect(dtype_of(out), "encode returned {got}; the instructions ask for an int64 tensor")


@check
def encode_whitespace(p, encode):
    """encode skips whitespace and repeats the index of a repeated character."""
    vocab = dict(ARTICLE_VOCAB)
    out = p.call(encode, "欢迎 你\n北京\u3000欢迎\t你你", vocab)
    p.expect(out, "encode gave {got} for a text with spaces, tabs, newlines and repeated characters: "
                  "skip every whitespace character (str.isspace) and give one index per other character",
             check_dtype=False)


@check
def encode_empty(p, encode):
    """encode of an empty or all-whitespace text is an empty int64 tensor."""
    vocab = dict(ARTICLE_VOCAB)
    for text in ("", " \n "):
        out = p.call(encode, text, vocab)
        p.expect(out, f"encode({text!r}, vocab) returned {{got}}; it should be an empty int64 tensor "
                      "(note that torch.tensor([]) is float32)")


@check
def encode_unknown_character(p, encode):
    """encode raises KeyError for a character missing from the vocabulary, and never changes the vocabulary."""
    vocab = dict(ARTICLE_VOCAB)
    record_raise = p.raises_later(
        KeyError, encode, "北京欢迎您", vocab,
        message="encode(\"北京欢迎您\", vocab) should raise KeyError (您 is not in the vocabulary), but raised {got}")
    # Reported before the missing KeyError: a vocabulary that grew explains why nothing was raised.
    p.expect(vocab_by_index(vocab), "encode changed the vocabulary it was given (for 您, which is not in it): "
                                    "never add to or modify vocab; a missing character raises KeyError")
    record_raise()
    p.raises(KeyError, encode, "x", {},
             message="encode(\"x\", {}) should raise KeyError, but raised {got}")


# --- one_hot -----------------------------------------------------------------------

@check
def one_hot_basic(p, one_hot):
    """one_hot: one row per index, 1.0 at that index and 0.0 elsewhere."""
    out = p.call(one_hot, [1], 5)
    p.expect(out, "one_hot([1], 5) returned {got}, not [[0.0, 1.0, 0.0, 0.0, 0.0]]", check_dtype=False)
    out = p.call(one_hot, [0, 2], 3)
    p.expect(shape_of(out), "one_hot([0, 2], 3) should have shape (2, 3) (one row per index), not {got}")


@check
def one_hot_dtype(p, one_hot):
    """one_hot is float32 for list, int64-tensor and int32-tensor indices."""
    for indices in ([3, 0], torch.tensor([3, 0]), torch.tensor([3, 0], dtype=torch.int32)):
        out = p.call(one_hot, indices, 4)
        p.expect(dtype_of(out), "one_hot returned {got}; the instructions ask for float32")


@check
def one_hot_values(p, one_hot):
    """one_hot is right for int32/int64 tensors and repeated indices, and leaves its input alone."""
    for dtype in (torch.int64, torch.int32):
        indices = torch.tensor([4, 0, 4, 2], dtype=dtype)
        out = p.call(one_hot, indices, 6)
        p.expect(out, f"one_hot(an {str(dtype)[6:]} tensor with a repeated index, 6) returned {{got}} with wrong "
                      "values: row i must be 1.0 at column indices[i] and 0.0 elsewhere", check_dtype=False)
        p.expect(indices, "one_hot modified the index tensor it was given; inputs must never be modified")
    out = p.call(one_hot, [0, 1, 2, 3, 4], 5)
    p.expect(out, "one_hot([0, 1, 2, 3, 4], 5) returned wrong values", check_dtype=False)


@check
def one_hot_empty(p, one_hot):
    """one_hot of no indices has shape (0, vocab_size)."""
    for indices in ([], torch.tensor([], dtype=torch.int64), torch.tensor([], dtype=torch.int32)):
        out = p.call(one_hot, indices, 7)
        p.expect(shape_of(out), "one_hot with empty indices and vocab_size=7 should have shape (0, 7), not {got}")


@check
def one_hot_index_range(p, one_hot):
    """one_hot raises ValueError for an index < 0 or >= vocab_size."""
    # Each bad input says which side of 0..4 it is on, so `> vocab_size` for `>=` is named as such.
    cases = (([-1], "-1 is negative"),
             ([5], "5 equals vocab_size, one past the last column 4: reject index >= vocab_size, not only > vocab_size"),
             ([0, 9, 1], "9 is >= vocab_size"),
             (torch.tensor([2, -3]), "-3 is negative; check tensors too"),
             (torch.tensor([5], dtype=torch.int32), "5 equals vocab_size (index >= vocab_size); check int32 tensors too"))
    for indices, why in cases:
        p.raises(ValueError, one_hot, indices, 5,
                 message=f"one_hot({_short(indices)}, 5) should raise ValueError ({why}; valid indices are 0..4), "
                         "but raised {got}")


@check
def one_hot_vocab_size(p, one_hot):
    """one_hot raises ValueError when vocab_size < 1."""
    for indices, size in (([0], 0), ([], 0), ([0], -2)):
        p.raises(ValueError, one_hot, indices, size,
                 message=f"one_hot({indices}, {size}) should raise ValueError (vocab_size < 1), but raised {{got}}")


def _short(indices) -> str:
    # Built from the probe's own inputs before any student call, so both runs agree.
    if type(indices) is torch.Tensor:
        return f"an {str(indices.dtype)[6:]} tensor of {len(indices)} indices"  # int32/int64: "an"
    return repr(indices)


# --- lookup ------------------------------------------------------------------------

@check
def lookup_basic(p, lookup):
    """lookup: index 1 gives row 1 of the weight."""
    weight = torch.arange(15.0).reshape(5, 3)
    out = p.call(lookup, weight, [1])
    p.expect(out, "lookup(W, [1]) returned {got}, not row 1 of W as a (1, 3) tensor", check_dtype=False)
    out = p.call(lookup, weight, [4, 1])
    p.expect(shape_of(out), "lookup(W, [4, 1]) should have shape (2, 3), not {got}")


@check
def lookup_index_types(p, lookup):
    """lookup takes a list, an int64 tensor or an int32 tensor, with repeated indices, and modifies nothing."""
    weight = seeded_randn(6, 4, seed=11)
    for indices in ([5, 0, 5, 2], torch.tensor([5, 0, 5, 2]), torch.tensor([5, 0, 5, 2], dtype=torch.int32)):
        out = p.call(lookup, weight, indices)
        p.expect(out, f"lookup(W, {_short(indices)}) returned {{got}} with wrong values: "
                      "row k of the result is row indices[k] of W", check_dtype=False)
        p.expect(weight, "lookup modified the weight it was given; inputs must never be modified")
        p.expect(indices, "lookup modified the indices it was given; inputs must never be modified")


@check
def lookup_dtype_and_empty(p, lookup):
    """lookup keeps the weight's dtype (float64 too) and gives shape (0, d) for no indices."""
    for dtype in (torch.float32, torch.float64):
        out = p.call(lookup, seeded_randn(5, 3, seed=12, dtype=dtype), [2, 2])
        p.expect(dtype_of(out), f"lookup on a {str(dtype)[6:]} weight returned {{got}}; "
                                "the result must have the weight's dtype")
    for indices in ([], torch.tensor([], dtype=torch.int64), torch.tensor([], dtype=torch.int32)):
        out = p.call(lookup, seeded_randn(5, 3, seed=13), indices)
        p.expect(shape_of(out), "lookup with empty indices on a (5, 3) weight should have shape (0, 3), not {got}")


def _gradient_steps(p, fn, name: str) -> None:
    weight = seeded_randn(5, 3, seed=14).requires_grad_()
    out = p.call(fn, weight, [1, 3, 1], what=f"{name}(weight, [1, 3, 1]) with weight.requires_grad=True")
    p.expect(requires_grad_of(out), f"{name}'s result is cut off from weight (it does not require grad): "
                                    "avoid .detach(), .data, .numpy() and building a new tensor from values")
    p.call(backprop, out, seeded_randn(3, 3, seed=15), what=f"backpropagating through {name}'s result")
    p.expect(grad_of(weight),
             f"after backpropagating through {name}, weight.grad is {{got}} and not the expected gradient: "
             "the looked-up rows (row 1 twice, summed) receive the upstream gradient, the others 0",
             check_dtype=False)


@check
def lookup_gradient(p, lookup):
    """Gradients flow from lookup's result back to the weight rows that were looked up."""
    _gradient_steps(p, lookup, "lookup")


# --- lookup_via_one_hot ------------------------------------------------------------

@check
def lookup_via_one_hot_basic(p, lookup_via_one_hot):
    """lookup_via_one_hot gives the same rows as a lookup."""
    weight = torch.arange(15.0).reshape(5, 3)
    out = p.call(lookup_via_one_hot, weight, [1, 4])
    p.expect(out, "lookup_via_one_hot(W, [1, 4]) returned {got}, not rows 1 and 4 of W", check_dtype=False)


@check
def lookup_via_one_hot_dtype(p, lookup_via_one_hot):
    """lookup_via_one_hot keeps the weight's dtype: float32 stays float32, float64 stays float64."""
    for dtype in (torch.float32, torch.float64):
        out = p.call(lookup_via_one_hot, seeded_randn(5, 3, seed=21, dtype=dtype), [0, 3],
                     what=f"lookup_via_one_hot(a {str(dtype)[6:]} weight of shape (5, 3), [0, 3])",
                     hint="" if dtype == torch.float32 else
                     "it works on a float32 weight, not on a float64 one: one_hot gives float32 rows and @ needs "
                     "both sides of one dtype, so cast the one-hot matrix with .to(weight.dtype) first")
        p.expect(dtype_of(out), f"lookup_via_one_hot on a {str(dtype)[6:]} weight returned {{got}}; "
                                "the result must have the weight's dtype (cast the one-hot matrix)")
        p.expect(out, f"lookup_via_one_hot on a {str(dtype)[6:]} weight returned wrong values", check_dtype=False)


@check
def lookup_via_one_hot_index_types(p, lookup_via_one_hot):
    """lookup_via_one_hot takes lists and int32/int64 tensors, repeated or empty, and modifies nothing."""
    weight = seeded_randn(6, 4, seed=22)
    for indices in ([5, 0, 5], torch.tensor([5, 0, 5]), torch.tensor([5, 0, 5], dtype=torch.int32)):
        out = p.call(lookup_via_one_hot, weight, indices)
        p.expect(out, f"lookup_via_one_hot(W, {_short(indices)}) returned {{got}}, not the rows of W at "
                      "those indices", check_dtype=False)
        p.expect(weight, "lookup_via_one_hot modified the weight it was given; inputs must never be modified")
        p.expect(indices, "lookup_via_one_hot modified the indices it was given; inputs must never be modified")
    for indices in ([], torch.tensor([], dtype=torch.int32)):
        out = p.call(lookup_via_one_hot, weight, indices)
        p.expect(shape_of(out), "lookup_via_one_hot with empty indices on a (6, 4) weight should have "
                                "shape (0, 4), not {got}")


@check
def lookup_via_one_hot_gradient(p, lookup_via_one_hot):
    """Gradients flow from lookup_via_one_hot's result back to the weight."""
    _gradient_steps(p, lookup_via_one_hot, "lookup_via_one_hot")


# --- quizzes -----------------------------------------------------------------------

@check
def quiz_weight_shape_answer(p, quiz_weight_shape):
    """Quiz: the shape of nn.Embedding(5, 3).weight."""
    quiz_steps(p, quiz_weight_shape, "the section on nn.Embedding and its weight")


@check
def quiz_one_hot_nonzeros_answer(p, quiz_one_hot_nonzeros):
    """Quiz: how many non-zero entries a one-hot vector has."""
    quiz_steps(p, quiz_one_hot_nonzeros, "the section on one-hot vectors")


@check
def quiz_one_hot_times_w_answer(p, quiz_one_hot_times_w):
    """Quiz: what one_hot(i) @ W computes."""
    quiz_steps(p, quiz_one_hot_times_w, "the section on one-hot times W")


@check
def quiz_lookup_row_answer(p, quiz_lookup_row):
    """Quiz: which row of the weight holds the vector of 迎."""
    quiz_steps(p, quiz_lookup_row, "the sections on the vocabulary and on looking up a row")
