"""The checks of sentence_vector: , basic, whitespace, empty, errors, dtype."""
from __future__ import annotations

import torch

from autograder.checks.toolbox import check, dtype_of, finite_of, matches, seeded_randn, shape_of

from ._shared import _unchanged


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
