"""Hidden-test logic for a1_lookup: vocabulary, one-hot and the lookup table.

One check per notebook test cell (the check's name is the cell's grade_id).
Each check covers one rule the notebook states, so a function that breaks one
rule loses that cell's points and keeps the others. Value checks after the
dtype cell compare values only (``check_dtype=False``) for the same reason, and a
cell's inputs avoid what another cell judges where they can (``lookup_via_one_hot``'s
dtype cell uses a square weight, so mixing up V and d is the basic cell's to report).
Where a known mistake gives a recognisable result, a diagnosis step names it before
the rule's general step (``name_the_mistakes``); every message is worded so it
is true of whatever made that step fail.
"""
from __future__ import annotations

import torch

from autograder.checks import _tensors as tensors
from autograder.checks import check
from autograder.checks._judge import same
from autograder.checks._observe import observe
from autograder.checks._student_values import (
    backprop, dtype_of, grad_of, matches, name_the_mistakes, quiz_steps, requires_grad_of, seeded_randn, shape_of,
    vocab_by_index,
)

ARTICLE_VOCAB = {"北": 0, "京": 1, "欢": 2, "迎": 3, "你": 4}


# --- build_vocab -------------------------------------------------------------------

def _tokens(out):
    """The sorted tokens of an exact dict whose keys are all exact strs; anything else as is."""
    if type(out) is not dict:
        return out
    keys = list(out)  # iterating an exact dict runs no student code
    return sorted(keys) if all(type(k) is str for k in keys) else out


def _same_mapping(a, b) -> bool:
    """Whether two of the student's vocabularies map the same tokens to the same indices, judged as the
    judge compares a vocabulary with the reference's (through observations, never ``==`` on them)."""
    return type(a) is dict and same(observe(vocab_by_index(a)), observe(vocab_by_index(b)))


def _vocab_mistakes(text: str) -> list[tuple[dict, str]]:
    """What the known numbering mistakes give for ``text``, with the message naming each.

    A mistake that gives the right mapping for this text is left out (the reference
    would fail its step).
    """
    chars = [c for c in text if not c.isspace()]
    right: dict[str, int] = {}
    for c in chars:
        right.setdefault(c, len(right))
    mistakes = [
        ({c: i for i, c in enumerate(sorted(set(chars)))},
         "numbered the characters in sorted (code point) order: number them in order of first appearance, "
         "0, 1, 2, ..."),
        ({c: i + 1 for c, i in right.items()},
         "counted from 1: the first character gets index 0, the next new one 1, ..."),
        ({c: i for i, c in enumerate(chars)},
         "gave a repeated character the position of its last appearance: a character keeps the index it got "
         "when first seen, and each new character gets the next index"),
    ]
    return [(vocab_by_index(wrong), f"build_vocab({text!r}) {message}") for wrong, message in mistakes
            if wrong != right]


def _vocab_steps(p, build_vocab, text: str, tokens_rule: str, index_rule: str):
    """A plain dict, then its tokens (whatever their indices), then known numbering mistakes, then the indices."""
    mistakes = _vocab_mistakes(text)
    out = p.call(build_vocab, text)
    p.expect(type(out) is dict, f"build_vocab({text!r}) should return a plain dict")
    p.expect(_tokens(out), f"build_vocab({text!r}) has the wrong tokens: {tokens_rule}")
    mapping = vocab_by_index(out)
    name_the_mistakes(p, mapping, mistakes)
    p.expect(mapping, f"build_vocab({text!r}) gave the wrong indices: {index_rule}")
    return out


@check
def build_vocab_basic(p, build_vocab):
    """build_vocab: one token per character, indices in order of first appearance."""
    _vocab_steps(p, build_vocab, "北京欢迎你", "one token per character",
                 "each new character gets the next index, 0, 1, 2, ..., in order of first appearance")
    _vocab_steps(p, build_vocab, "你好 你好", "one token per distinct character, and whitespace such as the "
                                          "space is skipped",
                 "a repeated character keeps its first index")


@check
def build_vocab_whitespace(p, build_vocab):
    """build_vocab skips every whitespace character (str.isspace), not only ' '."""
    # Judged against the function's own result for the text without whitespace, so a
    # numbering mistake (build_vocab_basic's rule) does not fail this cell too.
    rule = "every character for which str.isspace() is True (tabs, newlines, the ideographic space) is skipped"
    for text, tokens_rule in (("我 爱\t北京\n天安门\u3000我爱", rule),
                              ("\r\n a,b\x0b a", rule + "; punctuation is a token")):
        out = p.call(build_vocab, text)
        p.expect(type(out) is dict, f"build_vocab({text!r}) should return a plain dict")
        p.expect(_tokens(out), f"build_vocab({text!r}) has the wrong tokens: {tokens_rule}")
        stripped = "".join(c for c in text if not c.isspace())
        without = p.call(build_vocab, stripped)
        p.expect(_same_mapping(out, without),
                 f"build_vocab({text!r}) numbered its tokens differently from build_vocab({stripped!r}), the "
                 "same text without whitespace: whitespace is skipped, so it never uses up an index")


@check
def build_vocab_empty(p, build_vocab):
    """build_vocab of an empty or all-whitespace text is an empty dict."""
    _vocab_steps(p, build_vocab, "", "an empty text has no tokens", "an empty text has an empty vocabulary")
    _vocab_steps(p, build_vocab, " \t\n\u3000",
                 "every character here is whitespace (str.isspace), which is skipped, so there are none",
                 "a text of whitespace only has an empty vocabulary")


@check
def build_vocab_type_error(p, build_vocab):
    """build_vocab raises TypeError for anything that is not a str."""
    for bad in (["北", "京"], b"abc", None, 42):
        p.raises(TypeError, build_vocab, bad,
                 message=f"build_vocab({bad!r}) should raise TypeError (the argument is not a str), but raised {{got}}")


# --- encode ------------------------------------------------------------------------

# A KeyError whose message holds a whitespace character: one was looked up in vocab.
_WHITESPACE_KEYS = ("' '", "'\\n'", "'\\t'", "'\\r'", "'\\u3000'")
_WHITESPACE_HINT = "skip every whitespace character (str.isspace) before looking a character up in vocab"


def _index_values(out):
    """A plain list of ints as an int64 tensor (whether a list will do is encode_basic's rule, not this
    cell's); anything else as is."""
    if type(out) is list and all(type(i) is int and -2 ** 63 <= i < 2 ** 63 for i in out):
        return torch.tensor(out, dtype=torch.int64)
    return out


def _kind(out):
    """What encode returned, for comparing two of its results: a tensor and its dtype, a list, or other."""
    if type(out) in tensors.TENSOR_TYPES:
        return ["tensor", str(tensors.dtype(out))]
    return "list" if type(out) is list else "other"


def _length(out):
    """The shape of an exact tensor, or of an exact list as if it were one, as ``"(n,)"``; else as is."""
    if type(out) is list:
        return f"({len(out)},)"
    return shape_of(out)


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
    out = p.call(encode, "欢迎 你\n北京\u3000欢迎\t你你", vocab, hint=_WHITESPACE_HINT, hint_when=_WHITESPACE_KEYS)
    p.expect(_index_values(out), "encode gave {got} for a text with spaces, tabs, newlines and repeated "
                                 "characters: skip every whitespace character (str.isspace) and give one index "
                                 "per other character", check_dtype=False)


@check
def encode_empty(p, encode):
    """encode of an empty or all-whitespace text is empty, of the same type and dtype as for any other text."""
    # The type and dtype are judged against encode's own result for "京": a wrong dtype
    # everywhere is encode_basic's rule; an empty text giving another one is this cell's.
    vocab = dict(ARTICLE_VOCAB)
    kind = _kind(p.call(encode, "京", vocab))
    for text in ("", " \n "):
        out = p.call(encode, text, vocab, hint=_WHITESPACE_HINT, hint_when=_WHITESPACE_KEYS)
        p.expect(_kind(out) == kind, f"encode({text!r}, vocab) returned another type or dtype than for a "
                                     "non-empty text: it should be an empty int64 tensor too (note that "
                                     "torch.tensor([]) is float32)")
        p.expect(_length(out), f"encode({text!r}, vocab) should give no indices, shape (0,), not {{got}}")


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

# An error about the index tensor's dtype (F.one_hot, indexing and scatter_ all word it so).
_LONG_WORDS = ("long", "int64")
# Every cell that passes int32 indices has passed the same int64 ones just before.
_INT32_HINT = ("int64 indices worked but int32 ones did not: convert the indices to int64 first, "
               "e.g. torch.as_tensor(indices, dtype=torch.long)")
_EMPTY_LIST_HINT = ("an empty list becomes a float32 tensor (torch.as_tensor([]) is float32): "
                    "convert the indices with dtype=torch.long")


@check
def one_hot_basic(p, one_hot):
    """one_hot: one row per index, 1.0 at that index and 0.0 elsewhere."""
    out = p.call(one_hot, [1], 5)
    p.expect(out, "one_hot([1], 5) returned {got}, not [[0.0, 1.0, 0.0, 0.0, 0.0]] (one row per index)",
             check_dtype=False)
    out = p.call(one_hot, [0, 2], 3)
    p.expect(shape_of(out), "one_hot([0, 2], 3) should have shape (2, 3) (one row per index), not {got}")


@check
def one_hot_dtype(p, one_hot):
    """one_hot is float32 for list, int64-tensor and int32-tensor indices."""
    for indices in ([3, 0], torch.tensor([3, 0]), torch.tensor([3, 0], dtype=torch.int32)):
        hint = _INT32_HINT if type(indices) is torch.Tensor and indices.dtype == torch.int32 else ""
        out = p.call(one_hot, indices, 4, hint=hint, hint_when=_LONG_WORDS)
        p.expect(dtype_of(out), "one_hot returned {got}; the instructions ask for float32")


@check
def one_hot_values(p, one_hot):
    """one_hot is right for int32/int64 tensors and repeated indices, and leaves its input alone."""
    for dtype in (torch.int64, torch.int32):
        indices = torch.tensor([4, 0, 4, 2], dtype=dtype)
        name = f"one_hot(an {str(dtype)[6:]} tensor with a repeated index, 6)"
        out = p.call(one_hot, indices, 6, hint=_INT32_HINT if dtype == torch.int32 else "", hint_when=_LONG_WORDS)
        p.expect(shape_of(out), f"{name} should have shape (4, 6), one row per index, not {{got}}")
        p.expect(out, f"{name} returned wrong values: row i must be 1.0 at column indices[i] and 0.0 elsewhere",
                 check_dtype=False)
        p.expect(indices, "one_hot modified the index tensor it was given; inputs must never be modified")
    out = p.call(one_hot, [0, 1, 2, 3, 4], 5)
    p.expect(out, "one_hot([0, 1, 2, 3, 4], 5) returned wrong values", check_dtype=False)


@check
def one_hot_empty(p, one_hot):
    """one_hot of no indices has shape (0, vocab_size)."""
    for indices, hint in (([], _EMPTY_LIST_HINT), (torch.tensor([], dtype=torch.int64), ""),
                          (torch.tensor([], dtype=torch.int32), _INT32_HINT)):
        out = p.call(one_hot, indices, 7, hint=hint, hint_when=_LONG_WORDS)
        p.expect(shape_of(out), "one_hot with empty indices and vocab_size=7 should have shape (0, 7), one row "
                                "per index, not {got}")


@check
def one_hot_index_range(p, one_hot):
    """one_hot raises ValueError for an index < 0 or >= vocab_size."""
    # Each bad input says which side of 0..4 it is on. The clearly-too-large 9 comes before
    # the boundary 5, so only a function that rejects 9 but not 5 (`>` for `>=`) is told so.
    cases = (([-1], "-1 is negative"),
             ([0, 9, 1], "9 is past the last column, 4: reject every index >= vocab_size"),
             ([5], "5 equals vocab_size, one past the last column 4: reject index >= vocab_size, not only > vocab_size"),
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

# Every index the lookup cells use is a row of their weight: an out-of-bounds error means columns were taken.
_ROWS_HINT = "every index here is a row of the weight (V, d): pick rows, weight[indices], not columns"


def _rows_of(weight: torch.Tensor, indices) -> torch.Tensor:
    return weight.detach()[torch.as_tensor(indices, dtype=torch.int64)]


def _lookup_mistakes(call: str, weight: torch.Tensor, indices) -> list[tuple[torch.Tensor, str]]:
    """What lookup's known mistakes give for this call (built from the probe's own inputs), with the
    message naming each; one that gives the right result here is left out."""
    w = weight.detach()
    idx = torch.as_tensor(indices, dtype=torch.int64)
    mistakes = [
        (w[torch.unique(idx)], f"{call} returned each distinct row once, in sorted order (as torch.unique gives): "
                               "give one row per index, repeats included, in the order of the indices"),
    ]
    if not idx.numel() or int(idx.max()) < w.shape[1]:  # else taking columns raises (see _ROWS_HINT)
        mistakes.insert(0, (w[:, idx], f"{call} returned columns of W, one per index: an index picks a row, "
                                       "W[indices], not W[:, indices]"))
    return [(wrong, message) for wrong, message in mistakes if not matches(wrong, _rows_of(w, indices))]


def _via_one_hot_mistakes(call: str, weight: torch.Tensor, indices) -> list[tuple[torch.Tensor, str]]:
    """The same for lookup_via_one_hot: the product taken in the other order."""
    rows = _rows_of(weight, indices)
    mistakes = [(rows.T, f"{call} returned W.T @ one_hot(...).T, one column per index: put the one-hot matrix "
                         "first, one_hot(indices, V) @ W, for one row per index")]
    return [(wrong, message) for wrong, message in mistakes if not matches(wrong, rows)]


@check
def lookup_basic(p, lookup):
    """lookup: index 1 gives row 1 of the weight."""
    weight = torch.arange(15.0).reshape(5, 3)
    mistakes = _lookup_mistakes("lookup(W, [1])", weight, [1])
    out = p.call(lookup, weight, [1], hint=_ROWS_HINT, hint_when=("out of bounds",))
    name_the_mistakes(p, out, mistakes)
    p.expect(out, "lookup(W, [1]) returned {got}, not row 1 of W as a (1, 3) tensor", check_dtype=False)
    out = p.call(lookup, weight, [4, 1], hint=_ROWS_HINT, hint_when=("out of bounds",))
    p.expect(shape_of(out), "lookup(W, [4, 1]) should have shape (2, 3), not {got}")


@check
def lookup_index_types(p, lookup):
    """lookup takes a list, an int64 tensor or an int32 tensor, with repeated indices, and modifies nothing."""
    weight = seeded_randn(6, 4, seed=11)
    for indices in ([5, 0, 5, 2], torch.tensor([5, 0, 5, 2]), torch.tensor([5, 0, 5, 2], dtype=torch.int32)):
        call = f"lookup(W, {_short(indices)})"
        mistakes = _lookup_mistakes(call, weight, indices)
        out = p.call(lookup, weight, indices, hint=_ROWS_HINT, hint_when=("out of bounds",))
        name_the_mistakes(p, out, mistakes)
        p.expect(shape_of(out), f"{call} should have shape (4, 4), one row per index, not {{got}}")
        p.expect(out, f"{call} returned wrong values: row k of the result is row indices[k] of W", check_dtype=False)
        p.expect(weight, "lookup modified the weight it was given; inputs must never be modified")
        p.expect(indices, "lookup modified the indices it was given; inputs must never be modified")


@check
def lookup_dtype_and_empty(p, lookup):
    """lookup keeps the weight's dtype (float64 too) and gives shape (0, d) for no indices."""
    for dtype in (torch.float32, torch.float64):
        out = p.call(lookup, seeded_randn(5, 3, seed=12, dtype=dtype), [2, 2])
        p.expect(dtype_of(out), f"lookup on a {str(dtype)[6:]} weight returned {{got}}; "
                                "the result must have the weight's dtype")
    empty: tuple[list | torch.Tensor, ...] = ([], torch.tensor([], dtype=torch.int64), torch.tensor([], dtype=torch.int32))
    for indices in empty:
        out = p.call(lookup, seeded_randn(5, 3, seed=13), indices)
        p.expect(type(out) in tensors.TENSOR_TYPES and shape_of(out) == "(5, 0)",
                 "lookup with empty indices on a (5, 3) weight gave shape (5, 0), one column per index: "
                 "an index picks a row, W[indices], not W[:, indices]")
        p.expect(shape_of(out), "lookup with empty indices on a (5, 3) weight should have shape (0, 3), not {got}")


GRADIENT_INDICES = [1, 4, 1, 0]  # a repeat, and the last row (V = 5); n = 4 rows, never d


def _gradient_steps(p, fn, name: str, d: int, mistakes, hint: str, hint_when: tuple[str, ...]) -> None:
    weight = seeded_randn(5, d, seed=14).requires_grad_()
    call = f"{name}(weight, {GRADIENT_INDICES})"
    known = mistakes(call, weight, GRADIENT_INDICES)
    out = p.call(fn, weight, GRADIENT_INDICES, what=f"{call} with weight.requires_grad=True",
                 hint=hint, hint_when=hint_when)
    p.expect(requires_grad_of(out), f"{name}'s result is cut off from weight (it does not require grad): "
                                    "avoid .detach(), .data, .numpy() and building a new tensor from values")
    name_the_mistakes(p, out, known)
    # Backpropagating needs the result's shape; its values are the other cells' to judge.
    p.expect(shape_of(out), f"{call} should give one row of weight per index, shape (4, {d}), not {{got}}; the "
                            "gradient is checked on that result")
    p.call(backprop, out, seeded_randn(4, d, seed=15), what=f"backpropagating through {name}'s result")
    p.expect(grad_of(weight),
             f"after backpropagating through {name}, weight.grad is {{got}} and not the expected gradient: "
             "each looked-up row receives the upstream gradient of its result rows (row 1, looked up twice, "
             "their sum), the rows never looked up 0",
             check_dtype=False)


@check
def lookup_gradient(p, lookup):
    """Gradients flow from lookup's result back to the weight rows that were looked up."""
    _gradient_steps(p, lookup, "lookup", 3, _lookup_mistakes, _ROWS_HINT, ("out of bounds",))


# --- lookup_via_one_hot ------------------------------------------------------------

# For an error about shapes or index ranges in one_hot(indices, V) @ weight.
_PRODUCT_HINT = ("the product is an (n, V) one-hot matrix times the (V, d) weight: V is weight.shape[0] "
                 "(every index here is below it), whatever the indices, and the one-hot matrix comes first")
_PRODUCT_WORDS = ("shape", "size", "multiplied", "index", "range", "bounds", "num_classes")
_DTYPE_HINT = ("it works on a float32 weight, not on a float64 one: one_hot gives float32 rows and @ needs "
               "both sides of one dtype, so cast the one-hot matrix with .to(weight.dtype) first")
_DTYPE_WORDS = ("dtype", "scalar type", "double")
_EMPTY_HINT = ("the indices are empty here, so they have no max or min: V is weight.shape[0], and the result "
               "has shape (0, d)")


def _sorted_values(out):
    """All the numbers of an exact floating tensor, sorted, as a 1-D float64 tensor; anything else as is.

    The dtype cell judges precision with it, whatever the layout (rows or columns is the basic cell's rule).
    """
    if type(out) not in tensors.TENSOR_TYPES or not tensors.is_floating_point(out) or tensors.numel(out) > 10_000:
        return out
    flat = tensors.reshape(tensors.to(tensors.detach(out), torch.float64), (-1,))
    return torch.tensor(sorted(tensors.tolist(flat)), dtype=torch.float64)


@check
def lookup_via_one_hot_basic(p, lookup_via_one_hot):
    """lookup_via_one_hot gives the same rows as a lookup."""
    weight = torch.arange(15.0).reshape(5, 3)
    for indices in ([1, 4], [2, 0]):
        call = f"lookup_via_one_hot(W, {indices})"
        mistakes = _via_one_hot_mistakes(call, weight, indices)
        out = p.call(lookup_via_one_hot, weight, indices, hint=_PRODUCT_HINT, hint_when=_PRODUCT_WORDS)
        name_the_mistakes(p, out, mistakes)
        p.expect(out, f"{call} returned {{got}}, not rows {indices[0]} and {indices[1]} of W", check_dtype=False)


@check
def lookup_via_one_hot_dtype(p, lookup_via_one_hot):
    """lookup_via_one_hot keeps the weight's dtype and its precision: float32 stays float32, float64 float64."""
    # A square weight whose last row is looked up: a one-hot of the wrong width is the basic
    # cell's to report. Large values, so float32 rounding (about 3e-5 here) exceeds the tolerance.
    for dtype in (torch.float32, torch.float64):
        name = str(dtype)[6:]
        weight = seeded_randn(4, 4, seed=21, dtype=dtype, scale=1000.0)
        rounded = weight.to(torch.float32).to(torch.float64)[[0, 3]]  # rows 0 and 3 gone through float32
        hint, hint_when = (_PRODUCT_HINT, _PRODUCT_WORDS) if dtype == torch.float32 else (_DTYPE_HINT, _DTYPE_WORDS)
        out = p.call(lookup_via_one_hot, weight, [0, 3], what=f"lookup_via_one_hot(a {name} weight of shape (4, 4), "
                     "[0, 3])", hint=hint, hint_when=hint_when)
        other = "float64" if dtype == torch.float32 else "float32"
        p.expect(dtype_of(out), f"lookup_via_one_hot on a {name} weight returned {{got}}; the result must have "
                                f"the weight's dtype, {name}: cast the one-hot matrix with .to(weight.dtype), "
                                f"and nothing to {other}")
        if dtype == torch.float64:
            p.expect(matches(out, rounded, atol=1e-9),
                     "lookup_via_one_hot on a float64 weight gave float64 values rounded to float32: the weight "
                     "or the product went through float32 on the way; cast the one-hot matrix to weight.dtype "
                     "instead")
        p.expect(_sorted_values(out), f"lookup_via_one_hot on a {name} weight gave values that are not those of "
                                      f"rows 0 and 3 of the weight at {name} precision (within 1e-5): "
                                      "keep every step in the weight's dtype", check_dtype=False)


@check
def lookup_via_one_hot_index_types(p, lookup_via_one_hot):
    """lookup_via_one_hot takes lists and int32/int64 tensors, repeated or empty, and modifies nothing."""
    weight = seeded_randn(6, 6, seed=22)  # square, as in the dtype cell
    for indices in ([5, 0, 5], torch.tensor([5, 0, 5]), torch.tensor([5, 0, 5], dtype=torch.int32)):
        call = f"lookup_via_one_hot(W, {_short(indices)})"
        mistakes = _via_one_hot_mistakes(call, weight, indices)
        out = p.call(lookup_via_one_hot, weight, indices, hint=_PRODUCT_HINT, hint_when=_PRODUCT_WORDS)
        name_the_mistakes(p, out, mistakes)
        p.expect(out, f"{call} returned {{got}}, not the rows of W at those indices", check_dtype=False)
        p.expect(weight, "lookup_via_one_hot modified the weight it was given; inputs must never be modified")
        p.expect(indices, "lookup_via_one_hot modified the indices it was given; inputs must never be modified")
    for indices in ([], torch.tensor([], dtype=torch.int32)):
        out = p.call(lookup_via_one_hot, weight, indices, hint=_EMPTY_HINT, hint_when=("max", "min"))
        p.expect(shape_of(out), "lookup_via_one_hot with empty indices on a (6, 6) weight should have "
                                "shape (0, 6), not {got}")


@check
def lookup_via_one_hot_gradient(p, lookup_via_one_hot):
    """Gradients flow from lookup_via_one_hot's result back to the weight."""
    # A square weight, as in the dtype cell: mixing up V and d is the basic cell's to report.
    _gradient_steps(p, lookup_via_one_hot, "lookup_via_one_hot", 5, _via_one_hot_mistakes, _PRODUCT_HINT,
                    _PRODUCT_WORDS)


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
