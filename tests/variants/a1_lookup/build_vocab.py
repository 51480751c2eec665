"""build_vocab variants (a1_lookup)."""
import torch  # noqa: F401 (the notebook imports it; kept so every cell looks the same)

EXPECTED_FAILURES = {
    "wrong_sorted": {"build_vocab_basic"},
    "wrong_space_only": {"build_vocab_whitespace", "build_vocab_empty"},
    "wrong_keeps_whitespace": {"build_vocab_basic", "build_vocab_whitespace", "build_vocab_empty"},
    "wrong_no_type_check": {"build_vocab_type_error"},
    "wrong_value_error": {"build_vocab_type_error"},
    "wrong_one_based": {"build_vocab_basic"},
    "wrong_position_as_index": {"build_vocab_basic"},
    "wrong_whitespace_after_numbering": {"build_vocab_whitespace"},
}
# The exact feedback of every wrong variant: each message true of that mistake (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    "wrong_sorted": {
        "build_vocab_basic": (
            "build_vocab('北京欢迎你') numbered the characters in sorted (code point) order: number them in "
            "order of first appearance, 0, 1, 2, ..."
        ),
    },
    "wrong_space_only": {
        "build_vocab_whitespace": (
            "build_vocab('我 爱\\t北京\\n天安门\\u3000我爱') has the wrong tokens: every character for which "
            "str.isspace() is True (tabs, newlines, the ideographic space) is skipped"
        ),
        "build_vocab_empty": (
            "build_vocab(' \\t\\n\\u3000') has the wrong tokens: every character here is whitespace "
            "(str.isspace), which is skipped, so there are none"
        ),
    },
    "wrong_keeps_whitespace": {
        "build_vocab_basic": (
            "build_vocab('你好 你好') has the wrong tokens: one token per distinct character, and whitespace "
            "such as the space is skipped"
        ),
        "build_vocab_whitespace": (
            "build_vocab('我 爱\\t北京\\n天安门\\u3000我爱') has the wrong tokens: every character for which "
            "str.isspace() is True (tabs, newlines, the ideographic space) is skipped"
        ),
        "build_vocab_empty": (
            "build_vocab(' \\t\\n\\u3000') has the wrong tokens: every character here is whitespace "
            "(str.isspace), which is skipped, so there are none"
        ),
    },
    "wrong_no_type_check": {
        "build_vocab_type_error": (
            "build_vocab(['北', '京']) should raise TypeError (the argument is not a str), but raised no "
            "exception"
        ),
    },
    "wrong_value_error": {
        "build_vocab_type_error": (
            "build_vocab(['北', '京']) should raise TypeError (the argument is not a str), but raised "
            "ValueError (text must be a str)"
        ),
    },
    "wrong_one_based": {
        "build_vocab_basic": (
            "build_vocab('北京欢迎你') counted from 1: the first character gets index 0, the next new one 1, ..."
        ),
    },
    "wrong_position_as_index": {
        "build_vocab_basic": (
            "build_vocab('你好 你好') gave a repeated character the position of its last appearance: a "
            "character keeps the index it got when first seen, and each new character gets the next index"
        ),
    },
    "wrong_whitespace_after_numbering": {
        "build_vocab_whitespace": (
            "build_vocab('我 爱\\t北京\\n天安门\\u3000我爱') numbered its tokens differently from "
            "build_vocab('我爱北京天安门我爱'), the same text without whitespace: whitespace is skipped, so it "
            "never uses up an index"
        ),
    },
}


def correct_loop(text):
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    vocab = {}
    for ch in text:
        if ch.isspace():
            continue
        if ch not in vocab:
            vocab[ch] = len(vocab)
    return vocab


def correct_fromkeys(text):
    if type(text) is not str:
        raise TypeError(f"expected str, got {type(text)}")
    unique = dict.fromkeys(ch for ch in text if not ch.isspace())  # keeps first-appearance order
    return {ch: i for i, ch in enumerate(unique)}


def correct_sorted_by_first_index(text):
    if not isinstance(text, str):
        raise TypeError("build_vocab needs a string")
    chars = "".join(text.split())  # str.split() splits on exactly the str.isspace characters
    return {ch: i for i, ch in enumerate(sorted(set(chars), key=chars.index))}


def correct_setdefault(text):
    if not isinstance(text, str):
        raise TypeError("not a str")
    vocab = {}
    for ch in filter(lambda c: not c.isspace(), text):
        vocab.setdefault(ch, len(vocab))
    return vocab


def wrong_sorted(text):
    """Sorts the characters (by code point) instead of keeping the order of first appearance."""
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    return {ch: i for i, ch in enumerate(sorted(set(text) - {c for c in text if c.isspace()}))}


def wrong_space_only(text):
    """Skips the space " " only; tabs, newlines and the ideographic space become tokens."""
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    vocab = {}
    for ch in text:
        if ch != " " and ch not in vocab:
            vocab[ch] = len(vocab)
    return vocab


def wrong_keeps_whitespace(text):
    """Treats whitespace as tokens like any other character."""
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    vocab = {}
    for ch in text:
        if ch not in vocab:
            vocab[ch] = len(vocab)
    return vocab


def wrong_no_type_check(text):
    """Trusts the argument to be a str: a list of characters is silently accepted."""
    vocab = {}
    for ch in text:
        if not ch.isspace() and ch not in vocab:
            vocab[ch] = len(vocab)
    return vocab


def wrong_value_error(text):
    """Raises ValueError, not the TypeError the instructions ask for, on a non-str."""
    if not isinstance(text, str):
        raise ValueError("text must be a str")
    vocab = {}
    for ch in text:
        if not ch.isspace() and ch not in vocab:
            vocab[ch] = len(vocab)
    return vocab


def wrong_one_based(text):
    """Counts indices from 1, as people do, instead of from 0."""
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    vocab = {}
    for ch in text:
        if not ch.isspace() and ch not in vocab:
            vocab[ch] = len(vocab) + 1
    return vocab


def wrong_position_as_index(text):
    """Uses the character's position in the text as its index (a repeat overwrites it)."""
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    chars = [ch for ch in text if not ch.isspace()]
    return {ch: i for i, ch in enumerate(chars)}


def wrong_whitespace_after_numbering(text):
    """Numbers every character, whitespace included, then drops the whitespace entries: the tokens after a
    space get an index one too high, leaving gaps."""
    if not isinstance(text, str):
        raise TypeError("text must be a str")
    vocab = {}
    for ch in text:
        if ch not in vocab:
            vocab[ch] = len(vocab)
    return {ch: i for ch, i in vocab.items() if not ch.isspace()}
