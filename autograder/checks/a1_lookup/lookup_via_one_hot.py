"""The checks of lookup_via_one_hot: the same rows as lookup, dtypes, index types, the gradient."""
from __future__ import annotations

import torch

from autograder.checks.toolbox import check, dtype_of, matches, name_the_mistakes, seeded_randn, shape_of, tensors

from .one_hot import _short
from .lookup import _gradient_steps, _via_one_hot_mistakes


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
