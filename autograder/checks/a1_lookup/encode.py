"""The checks of encode: indices of the characters, whitespace skipped, empty text, unknown characters."""
from __future__ import annotations

import torch

from autograder.checks.toolbox import check, dtype_of, shape_of, tensors, vocab_by_index

ARTICLE_VOCAB = {"北": 0, "京": 1, "欢": 2, "迎": 3, "你": 4}


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
