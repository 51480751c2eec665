"""The checks of one_hot: rows with a single 1.0, float32, values, empty indices, the index range, vocab_size."""
from __future__ import annotations

import torch

from autograder.checks.toolbox import check, dtype_of, shape_of


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
