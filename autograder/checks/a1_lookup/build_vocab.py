"""The checks of build_vocab: tokens and indices, whitespace, empty text, the argument's type."""
from __future__ import annotations

from autograder.checks.toolbox import check, name_the_mistakes, observe, same, vocab_by_index


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
