"""The checks of lookup: rows of the weight, index types, dtype and empty indices, the gradient."""
from __future__ import annotations

import torch

from autograder.checks.toolbox import (
    backprop, check, dtype_of, grad_of, matches, name_the_mistakes, requires_grad_of, seeded_randn, shape_of, tensors,
)

from .one_hot import _short


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
