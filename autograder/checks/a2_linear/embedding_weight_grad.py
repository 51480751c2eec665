"""The checks of embedding_weight_grad: the gradient of a lookup, repeated indices adding up,
index types, dtype."""
from __future__ import annotations

import torch

from autograder.checks.toolbox import (
    check, dtype_name, dtype_of, is_tensor, matches, observe, same, seeded_randn, shape_of, snapshot, tensor_or_none,
)


def _grad_of_lookup(indices: list[int], upstream: torch.Tensor, vocab_size: int) -> torch.Tensor:
    """The right answer, computed by the grader (for the diagnoses' wrong answers to differ from)."""
    grad = torch.zeros(vocab_size, upstream.shape[1], dtype=torch.float64)
    return grad.index_add_(0, torch.tensor(indices, dtype=torch.int64), upstream.to(torch.float64))


def _rows_first(out, transposed_shape: str):
    """``out`` as (vocab_size, d): a private transposed copy when it is exactly a tensor of the
    (d, vocab_size) shape (that layout is embedding_weight_grad_basic's rule), else ``out`` as is."""
    copy = snapshot(out)
    return copy.T if copy is not None and shape_of(copy) == transposed_shape else out


@check
def embedding_weight_grad_basic(p, embedding_weight_grad):
    """embedding_weight_grad: the looked-up rows get their upstream rows, the others 0."""
    out = p.call(embedding_weight_grad, [1, 3], torch.ones(2, 3), 5)
    call = "embedding_weight_grad([1, 3], torch.ones(2, 3), 5)"
    p.expect(shape_of(tensor_or_none(out)) == "(3, 5)",
             f"{call} returned shape (3, 5) = (d, vocab_size), the layout of nn.Linear's weight: the gradient "
             "of W has W's shape, (vocab_size, d) = (5, 3)")
    p.expect(shape_of(out), f"{call} should have shape (5, 3) (vocab_size, d), not {{got}}")
    p.expect(matches(out, torch.full((5, 3), 2.0)),
             f"{call} gave every row the sum of all upstream rows (2.0 everywhere): only rows 1 and 3 were looked "
             "up, so only they get a gradient (their upstream rows, ones); every other row stays 0")
    p.expect(out, f"{call} is wrong: rows 1 and 3 must be ones and every other row zeros", check_dtype=False)


@check
def embedding_weight_grad_repeated(p, embedding_weight_grad):
    """A repeated index accumulates (sums) its upstream rows."""
    indices, vocab_size = [2, 0, 2, 2, 4], 6
    upstream = seeded_randn(5, 3, seed=51)
    right = _grad_of_lookup(indices, upstream, vocab_size)
    last, first = torch.zeros_like(right), torch.zeros_like(right)
    for k, i in enumerate(indices):
        last[i] = upstream[k]
        first[indices[-1 - k]] = upstream[len(indices) - 1 - k]
    counts = _grad_of_lookup(indices, torch.ones_like(upstream), vocab_size)
    mean = right / counts.clamp(min=1)
    every_row = upstream.to(torch.float64).sum(dim=0).expand(vocab_size, 3)
    call = "embedding_weight_grad([2, 0, 2, 2, 4], upstream of shape (5, 3), 6)"
    out = _rows_first(p.call(embedding_weight_grad, indices, upstream.clone(), vocab_size, what=call), "(3, 6)")
    p.expect(matches(out, last) or matches(out, first),
             f"{call} put only one of index 2's three upstream rows in row 2 (an assignment such as grad[indices] = "
             "upstream keeps one per index): a repeated index gets the sum of all its upstream rows, so add them "
             "up (index_add_, or += one position at a time)")
    p.expect(matches(out, mean),
             f"{call} gave row 2 the mean of index 2's three upstream rows: each lookup adds its own contribution, "
             "so a repeated index gets their sum, not their mean")
    p.expect(matches(out, counts),
             f"{call} gave each row the number of times its index appears: a row's gradient is the sum of the "
             "upstream rows at the positions where it was looked up, so the values of upstream matter, not only "
             "the count")
    p.expect(matches(out, every_row),
             f"{call} gave every row the sum of all upstream rows: only the rows looked up get a gradient (row 2 "
             "the sum of its own three upstream rows), and rows never looked up stay 0")
    p.expect(out, f"{call} is not the gradient: index 2 appears three times, so row 2 is the sum of its three "
                  "upstream rows; rows 0 and 4 get their own upstream rows and every other row stays 0",
             check_dtype=False)


def _same_result(out, seen: dict) -> bool:
    """Whether ``out`` is what the student's function gave for the list (``seen``, an observation).

    True when that was not even a tensor: an earlier step says so.
    """
    return seen.get("type") != "tensor" or same(observe(out), seen)


def _zeros_like(out, seen: dict) -> bool:
    """Whether ``out`` is all zeros of the shape and dtype of ``seen`` (True when that was no tensor)."""
    if seen.get("type") != "tensor" or "values" not in seen:
        return True
    dtype = getattr(torch, seen["dtype"], None)
    try:
        zeros = torch.zeros(seen["shape"], dtype=dtype) if isinstance(dtype, torch.dtype) else None
    except (RuntimeError, TypeError):  # a dtype torch.zeros cannot make: no zeros to compare with
        zeros = None
    return zeros is not None and same(observe(out), observe(zeros))


@check
def embedding_weight_grad_index_types(p, embedding_weight_grad):
    """embedding_weight_grad takes int32/int64 tensors like a list, empty indices, and never modifies its inputs.

    The indices are not repeated (summing a repeated index is embedding_weight_grad_repeated's
    rule), and a tensor's result is compared with the function's own result for the list
    (the values are embedding_weight_grad_basic's and _repeated's rule).
    """
    upstream = seeded_randn(2, 3, seed=52)
    unchanged = "embedding_weight_grad modified upstream; inputs must never be modified"
    as_list = p.call(embedding_weight_grad, [3, 1], upstream, 5,
                     what="embedding_weight_grad([3, 1], upstream of shape (2, 3), 5)")
    seen = observe(as_list)
    # Without a tensor for the list there is nothing to compare the tensors' results with.
    p.expect("a tensor" if is_tensor(as_list) else as_list,
             "embedding_weight_grad([3, 1], upstream of shape (2, 3), 5) returned {got}, not a tensor: the gradient "
             "is a torch.Tensor of shape (vocab_size, d)")
    p.expect(upstream, unchanged)
    indices: list | torch.Tensor
    for dtype in (torch.int64, torch.int32):
        indices = torch.tensor([3, 1], dtype=dtype)
        kind = f"an {dtype_name(dtype)} tensor [3, 1]"
        out = p.call(embedding_weight_grad, indices, upstream, 5,
                     what=f"embedding_weight_grad({kind}, upstream of shape (2, 3), 5)",
                     hint=f"indices may be an {dtype_name(dtype)} tensor: convert them with "
                          "torch.as_tensor(indices, dtype=torch.long) before using them",
                     hint_when=("long", dtype_name(dtype)))
        p.expect(_same_result(out, seen),
                 f"embedding_weight_grad gave a different result for {kind} than for the list [3, 1]: indices may "
                 "be a list or an int64 or int32 tensor, and all three give the same gradient "
                 "(torch.as_tensor(indices, dtype=torch.long) converts each of them)")
        p.expect(indices, "embedding_weight_grad modified the indices it was given; inputs must never be modified")
        p.expect(upstream, unchanged)
    for indices, kind, hint, hint_when in (
            ([], "[]", "torch.as_tensor([]) and torch.tensor([]) are float32 tensors, which cannot index: convert "
                       "with torch.as_tensor(indices, dtype=torch.long)", ("float", "long")),
            (torch.tensor([], dtype=torch.int32), "an empty int32 tensor",
             "indices may be an int32 tensor: convert them with torch.as_tensor(indices, dtype=torch.long)",
             ("long", "int32"))):
        call = f"embedding_weight_grad({kind}, upstream of shape (0, 3), 5)"
        out = p.call(embedding_weight_grad, indices, torch.zeros(0, 3), 5, what=call,
                     hint=hint, hint_when=hint_when)
        p.expect(_zeros_like(out, seen),
                 f"{call} is not all zeros of the shape and dtype it gives for [3, 1]: with no indices nothing is "
                 "looked up, so every row of the gradient is 0")


@check
def embedding_weight_grad_dtype(p, embedding_weight_grad):
    """embedding_weight_grad returns float32 for a float32 upstream."""
    for indices, kind in (([0, 2], "[0, 2]"), (torch.tensor([0, 2]), "an int64 tensor [0, 2]")):
        out = p.call(embedding_weight_grad, indices, seeded_randn(2, 3, seed=53), 3,
                     what=f"embedding_weight_grad({kind}, a float32 upstream of shape (2, 3), 3)")
        p.expect(dtype_of(out), "embedding_weight_grad returned {got} for a float32 upstream: the gradient has "
                                "upstream's dtype, float32 (create it with dtype=upstream.dtype; NumPy arrays are "
                                "float64 by default)")
