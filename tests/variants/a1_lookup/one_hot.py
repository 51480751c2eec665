"""one_hot variants (a1_lookup)."""
import numpy as np
import torch
import torch.nn.functional as F

EXPECTED_FAILURES = {
    "wrong_int64": {"one_hot_dtype"},
    "wrong_no_checks": {"one_hot_index_range", "one_hot_vocab_size"},
    "wrong_int32_unsupported": {"one_hot_dtype", "one_hot_values", "one_hot_empty"},
    "wrong_index_error": {"one_hot_index_range"},
    "wrong_transposed": {"one_hot_basic", "one_hot_values", "one_hot_empty"},
    "wrong_unsqueezes_input": {"one_hot_values"},
    "wrong_no_vocab_size_check": {"one_hot_vocab_size"},
    "wrong_off_by_one_range": {"one_hot_index_range"},
    "wrong_no_upper_check": {"one_hot_index_range"},
}
# The exact feedback of every wrong variant: each message true of that mistake (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    "wrong_int64": {
        "one_hot_dtype": "one_hot returned int64; the instructions ask for float32",
    },
    "wrong_no_checks": {
        "one_hot_index_range": (
            "one_hot([-1], 5) should raise ValueError (-1 is negative; valid indices are 0..4), but raised "
            "no exception"
        ),
        "one_hot_vocab_size": (
            "one_hot([0], 0) should raise ValueError (vocab_size < 1), but raised IndexError (index is out "
            "of bounds for dimension with size 0)"
        ),
    },
    "wrong_int32_unsupported": {
        "one_hot_dtype": (
            "one_hot(an int32 tensor of shape (2,), 4) raised RuntimeError: one_hot is only applicable to "
            "index tensor of type LongTensor. -- int64 indices worked but int32 ones did not: convert the "
            "indices to int64 first, e.g. torch.as_tensor(indices, dtype=torch.long)"
        ),
        "one_hot_values": (
            "one_hot(an int32 tensor of shape (4,), 6) raised RuntimeError: one_hot is only applicable to "
            "index tensor of type LongTensor. -- int64 indices worked but int32 ones did not: convert the "
            "indices to int64 first, e.g. torch.as_tensor(indices, dtype=torch.long)"
        ),
        "one_hot_empty": (
            "one_hot([], 7) raised RuntimeError: one_hot is only applicable to index tensor of type "
            "LongTensor. -- an empty list becomes a float32 tensor (torch.as_tensor([]) is float32): "
            "convert the indices with dtype=torch.long"
        ),
    },
    "wrong_index_error": {
        "one_hot_index_range": (
            "one_hot([-1], 5) should raise ValueError (-1 is negative; valid indices are 0..4), but raised "
            "IndexError (index outside the vocabulary)"
        ),
    },
    "wrong_transposed": {
        "one_hot_basic": (
            "one_hot([1], 5) returned a float32 tensor of shape (5, 1), not [[0.0, 1.0, 0.0, 0.0, 0.0]] "
            "(one row per index)"
        ),
        "one_hot_values": (
            "one_hot(an int64 tensor with a repeated index, 6) should have shape (4, 6), one row per "
            "index, not '(6, 4)'"
        ),
        "one_hot_empty": (
            "one_hot with empty indices and vocab_size=7 should have shape (0, 7), one row per index, not "
            "'(7, 0)'"
        ),
    },
    "wrong_unsqueezes_input": {
        "one_hot_values": "one_hot modified the index tensor it was given; inputs must never be modified",
    },
    "wrong_no_vocab_size_check": {
        "one_hot_vocab_size": "one_hot([], 0) should raise ValueError (vocab_size < 1), but raised no exception",
    },
    "wrong_off_by_one_range": {
        "one_hot_index_range": (
            "one_hot([5], 5) should raise ValueError (5 equals vocab_size, one past the last column 4: "
            "reject index >= vocab_size, not only > vocab_size; valid indices are 0..4), but raised "
            "IndexError (index 5 is out of bounds for dimension 0 with size 5)"
        ),
    },
    "wrong_no_upper_check": {
        "one_hot_index_range": (
            "one_hot([0, 9, 1], 5) should raise ValueError (9 is past the last column, 4: reject every "
            "index >= vocab_size; valid indices are 0..4), but raised IndexError (index 9 is out of bounds "
            "for dimension 0 with size 5)"
        ),
    },
}


def correct_eye(indices, vocab_size):
    if vocab_size < 1:
        raise ValueError("vocab_size must be >= 1")
    idx = torch.as_tensor(indices, dtype=torch.long)
    if ((idx < 0) | (idx >= vocab_size)).any():
        raise ValueError("index out of range")
    return torch.eye(vocab_size)[idx].reshape(len(idx), vocab_size)


def correct_scatter(indices, vocab_size):
    if vocab_size < 1:
        raise ValueError(f"bad vocab_size {vocab_size}")
    idx = torch.tensor(list(map(int, indices)), dtype=torch.int64)
    for i in idx.tolist():
        if not 0 <= i < vocab_size:
            raise ValueError(f"index {i} not in [0, {vocab_size})")
    out = torch.zeros(len(idx), vocab_size)
    return out.scatter_(1, idx.unsqueeze(1), 1.0)


def correct_functional(indices, vocab_size):
    if vocab_size < 1:
        raise ValueError("vocab_size < 1")
    idx = torch.as_tensor(indices).long()
    if idx.numel() and (idx.min().item() < 0 or idx.max().item() >= vocab_size):
        raise ValueError("index outside the vocabulary")
    return F.one_hot(idx, num_classes=vocab_size).to(torch.float32)


def correct_numpy(indices, vocab_size):
    if vocab_size < 1:
        raise ValueError("vocab_size must be positive")
    idx = np.asarray(indices, dtype=np.int64).reshape(-1)
    if np.any(idx < 0) or np.any(idx >= vocab_size):
        raise ValueError("index out of range")
    out = np.zeros((len(idx), vocab_size), dtype=np.float32)
    out[np.arange(len(idx)), idx] = 1.0
    return torch.from_numpy(out)


def correct_loops(indices, vocab_size):
    if vocab_size < 1:
        raise ValueError("vocab_size must be at least 1")
    rows = []
    for i in [int(i) for i in indices]:
        if i < 0 or i >= vocab_size:
            raise ValueError(f"index {i} out of range")
        rows.append([1.0 if j == i else 0.0 for j in range(vocab_size)])
    return torch.tensor(rows, dtype=torch.float32).reshape(len(rows), vocab_size)


def wrong_int64(indices, vocab_size):
    """Returns what F.one_hot returns, int64, instead of float32."""
    if vocab_size < 1:
        raise ValueError("vocab_size < 1")
    idx = torch.as_tensor(indices).long()
    if idx.numel() and (idx.min() < 0 or idx.max() >= vocab_size):
        raise ValueError("index outside the vocabulary")
    return F.one_hot(idx, vocab_size)


def wrong_no_checks(indices, vocab_size):
    """Trusts the indices: -1 silently picks the last column, a too-large index raises IndexError."""
    return torch.eye(vocab_size)[torch.as_tensor(indices, dtype=torch.long)].reshape(-1, vocab_size)


def wrong_int32_unsupported(indices, vocab_size):
    """Hands an int32 tensor straight to F.one_hot, which only accepts int64 indices."""
    if vocab_size < 1:
        raise ValueError("vocab_size < 1")
    idx = torch.as_tensor(indices)
    if idx.numel() and (idx.min() < 0 or idx.max() >= vocab_size):
        raise ValueError("index outside the vocabulary")
    return F.one_hot(idx, vocab_size).float()


def wrong_index_error(indices, vocab_size):
    """Raises IndexError (what Python raises for a bad list index), not ValueError."""
    if vocab_size < 1:
        raise ValueError("vocab_size < 1")
    idx = torch.as_tensor(indices, dtype=torch.long)
    if idx.numel() and (idx.min() < 0 or idx.max() >= vocab_size):
        raise IndexError("index outside the vocabulary")
    return torch.eye(vocab_size)[idx]


def wrong_transposed(indices, vocab_size):
    """Puts one column per index (shape (vocab_size, n)) instead of one row per index."""
    if vocab_size < 1:
        raise ValueError("vocab_size < 1")
    idx = torch.as_tensor(indices, dtype=torch.long)
    if idx.numel() and (idx.min() < 0 or idx.max() >= vocab_size):
        raise ValueError("index outside the vocabulary")
    out = torch.zeros(vocab_size, len(idx))
    out[idx, torch.arange(len(idx))] = 1.0
    return out


def wrong_unsqueezes_input(indices, vocab_size):
    """Reshapes the caller's index tensor in place (unsqueeze_) to use it with scatter_."""
    if vocab_size < 1:
        raise ValueError("vocab_size < 1")
    idx = torch.as_tensor(indices, dtype=torch.long)  # no copy for an int64 tensor
    if idx.numel() and (idx.min() < 0 or idx.max() >= vocab_size):
        raise ValueError("index outside the vocabulary")
    return torch.zeros(len(idx), vocab_size).scatter_(1, idx.unsqueeze_(1), 1.0)


def wrong_no_vocab_size_check(indices, vocab_size):
    """Checks the indices but not vocab_size, so one_hot([], 0) returns a (0, 0) matrix."""
    idx = torch.as_tensor(indices, dtype=torch.long)
    if idx.numel() and (idx.min() < 0 or idx.max() >= vocab_size):
        raise ValueError("index outside the vocabulary")
    return torch.eye(vocab_size)[idx].reshape(len(idx), vocab_size)


def wrong_off_by_one_range(indices, vocab_size):
    """Checks the range with `>` instead of `>=`: index == vocab_size slips through to torch.eye's IndexError."""
    if vocab_size < 1:
        raise ValueError("vocab_size < 1")
    idx = torch.as_tensor(indices, dtype=torch.long)
    if idx.numel() and (idx.min() < 0 or idx.max() > vocab_size):
        raise ValueError("index outside the vocabulary")
    return torch.eye(vocab_size)[idx].reshape(len(idx), vocab_size)


def wrong_no_upper_check(indices, vocab_size):
    """Rejects negative indices only: an index >= vocab_size slips through to torch.eye's IndexError."""
    if vocab_size < 1:
        raise ValueError("vocab_size < 1")
    idx = torch.as_tensor(indices, dtype=torch.long)
    if idx.numel() and idx.min() < 0:
        raise ValueError("negative index")
    return torch.eye(vocab_size)[idx].reshape(len(idx), vocab_size)
