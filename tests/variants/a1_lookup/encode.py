"""encode variants (a1_lookup)."""
import numpy as np
import torch

EXPECTED_FAILURES = {
    "wrong_float_when_empty": {"encode_empty"},
    "wrong_int32": {"encode_basic"},
    "wrong_keeps_whitespace": {"encode_whitespace", "encode_empty"},
    "wrong_unknown_as_zero": {"encode_unknown_character"},
    "wrong_grows_vocab": {"encode_unknown_character"},
    "wrong_value_error": {"encode_unknown_character"},
    "wrong_returns_list": {"encode_basic"},
}
# The exact feedback of every wrong variant: each message true of that mistake (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    "wrong_float_when_empty": {
        "encode_empty": (
            "encode('', vocab) returned another type or dtype than for a non-empty text: it should be an "
            "empty int64 tensor too (note that torch.tensor([]) is float32)"
        ),
    },
    "wrong_int32": {
        "encode_basic": (
            "encode(\"北京欢迎你\", vocab) returned an int32 tensor of shape (5,), not the 1-D int64 tensor of "
            "the indices"
        ),
    },
    "wrong_keeps_whitespace": {
        "encode_whitespace": (
            "encode('欢迎 你\\n北京\\u3000欢迎\\t你你', {'北': 0, '京': 1, '欢': 2, '迎': 3, '你': 4}) raised KeyError: "
            "' ' -- skip every whitespace character (str.isspace) before looking a character up in vocab"
        ),
        "encode_empty": (
            "encode(' \\n ', {'北': 0, '京': 1, '欢': 2, '迎': 3, '你': 4}) raised KeyError: ' ' -- skip every "
            "whitespace character (str.isspace) before looking a character up in vocab"
        ),
    },
    "wrong_unknown_as_zero": {
        "encode_unknown_character": (
            "encode(\"北京欢迎您\", vocab) should raise KeyError (您 is not in the vocabulary), but raised no "
            "exception"
        ),
    },
    "wrong_grows_vocab": {
        "encode_unknown_character": (
            "encode changed the vocabulary it was given (for 您, which is not in it): never add to or "
            "modify vocab; a missing character raises KeyError"
        ),
    },
    "wrong_value_error": {
        "encode_unknown_character": (
            "encode(\"北京欢迎您\", vocab) should raise KeyError (您 is not in the vocabulary), but raised "
            "ValueError (unknown character '您')"
        ),
    },
    "wrong_returns_list": {
        "encode_basic": (
            "encode(\"北京欢迎你\", vocab) returned a list of length 5, not the 1-D int64 tensor of the indices"
        ),
    },
}


def correct_loop(text, vocab):
    ids = []
    for ch in text:
        if not ch.isspace():
            ids.append(vocab[ch])
    return torch.tensor(ids, dtype=torch.int64)


def correct_comprehension(text, vocab):
    return torch.tensor([vocab[c] for c in text if not c.isspace()], dtype=torch.long)


def correct_numpy(text, vocab):
    ids = np.array([vocab[c] for c in "".join(text.split())], dtype=np.int64)
    return torch.from_numpy(ids)


def correct_empty_then_fill(text, vocab):
    chars = [c for c in text if not c.isspace()]
    out = torch.empty(len(chars), dtype=torch.long)
    for i, c in enumerate(chars):
        if c not in vocab:
            raise KeyError(f"{c!r} is not in the vocabulary")
        out[i] = vocab[c]
    return out


def wrong_float_when_empty(text, vocab):
    """Leaves the dtype to torch.tensor: int64 for indices, but float32 for an empty list."""
    return torch.tensor([vocab[c] for c in text if not c.isspace()])


def wrong_int32(text, vocab):
    """Uses int32 indices (enough range, but not the int64 the instructions and nn.Embedding ask for)."""
    return torch.tensor([vocab[c] for c in text if not c.isspace()], dtype=torch.int32)


def wrong_keeps_whitespace(text, vocab):
    """Forgets to skip whitespace, so a space is looked up in the vocabulary."""
    return torch.tensor([vocab[c] for c in text], dtype=torch.int64)


def wrong_unknown_as_zero(text, vocab):
    """Maps an unknown character to index 0 silently instead of raising KeyError."""
    return torch.tensor([vocab.get(c, 0) for c in text if not c.isspace()], dtype=torch.int64)


def wrong_grows_vocab(text, vocab):
    """Adds unknown characters to the caller's vocabulary (modifies an input, raises nothing)."""
    ids = []
    for c in text:
        if not c.isspace():
            ids.append(vocab.setdefault(c, len(vocab)))
    return torch.tensor(ids, dtype=torch.int64)


def wrong_value_error(text, vocab):
    """Raises ValueError, not KeyError, for a character that is not in the vocabulary."""
    ids = []
    for c in text:
        if c.isspace():
            continue
        if c not in vocab:
            raise ValueError(f"unknown character {c!r}")
        ids.append(vocab[c])
    return torch.tensor(ids, dtype=torch.int64)


def wrong_returns_list(text, vocab):
    """Returns a Python list of indices, not a tensor."""
    return [vocab[c] for c in text if not c.isspace()]
