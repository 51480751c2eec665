"""The checks of normalize_rows: unit rows, a zero row, dtypes."""
from __future__ import annotations

import numpy as np
import torch

from autograder.checks.toolbox import (
    TENSOR_TYPES, check, dtype_of, finite_of, name_the_mistakes, seeded_randn, shape_of, tensors,
)

from ._shared import _float64, _unchanged


def _normalize_slips(vectors: torch.Tensor) -> list[tuple[torch.Tensor, str]]:
    """What known mistakes give, computed by the grader in float64."""
    rows = _float64(vectors)
    whole, columns = rows / np.linalg.norm(rows), rows / np.linalg.norm(rows, axis=0, keepdims=True)
    return [(torch.from_numpy(whole), "divided every row by the norm of the whole matrix: divide each row by its "
                                      "own norm (vectors.norm(dim=1, keepdim=True))"),
            (torch.from_numpy(columns), "divided each column by its norm: normalise the rows instead, each by its "
                                        "own length (dim=1)")]


def _normalize_step(p, normalize_rows, vectors: torch.Tensor, label: str, rule: str) -> None:
    slips = _normalize_slips(vectors)
    out = p.call(normalize_rows, vectors.clone())
    p.expect(shape_of(out), f"normalize_rows of a {shape_of(vectors)} tensor should return shape "
                            f"{shape_of(vectors)}, got {{got}}")
    name_the_mistakes(p, out, [(wrong, f"normalize_rows({label}) {why}") for wrong, why in slips], atol=1e-4)
    p.expect(out, f"normalize_rows({label}) gave wrong values: {rule}", check_dtype=False)


@check
def normalize_rows_basic(p, normalize_rows):
    """normalize_rows: each row divided by its length, same shape."""
    _normalize_step(p, normalize_rows, torch.tensor([[3.0, 4.0], [0.0, 2.0], [-1.0, 0.0]]),
                    "[[3.0, 4.0], [0.0, 2.0], [-1.0, 0.0]]", "divide each row by its own L2 norm")
    _normalize_step(p, normalize_rows, seeded_randn(6, 5, seed=1, scale=7.0), "6 random rows of 5 numbers",
                    "divide each row by its own L2 norm")
    # Rows shorter than 1 (lengths 0.17 to 0.55): a guard such as norms.clamp(min=1) leaves them as they are.
    _normalize_step(p, normalize_rows, seeded_randn(5, 3, seed=4, scale=0.2), "5 random rows shorter than 1",
                    "divide each row by its own L2 norm, however short")


def _row(out, index: int):
    """Row ``index`` of an exact 2-D float tensor as a float64 tensor; anything else as is."""
    if type(out) not in TENSOR_TYPES or tensors.dim(out) != 2 or not tensors.is_floating_point(out):
        return out
    rows = tensors.tolist(tensors.to(tensors.detach(out), torch.float64))
    return torch.tensor(rows[index], dtype=torch.float64) if index < len(rows) else out


@check
def normalize_rows_zero_row(p, normalize_rows):
    """normalize_rows keeps a zero row zero (never NaN)."""
    nan = ("normalize_rows gave NaN or inf for {what} (0 / 0 is NaN): a zero row must stay all 0.0, so "
           "divide by the norm only where it is not 0 (e.g. norms.clamp(min=1e-12))")
    vectors = seeded_randn(4, 3, seed=11)
    vectors[1] = 0.0
    out = p.call(normalize_rows, vectors)
    p.expect(shape_of(out), "normalize_rows of a (4, 3) tensor should return shape (4, 3), got {got}")
    p.expect(finite_of(out) is not False, nan.format(what="a (4, 3) tensor whose row 1 is zero"))
    p.expect(_row(out, 1), "normalize_rows gave a row 1 that is not all 0.0 for a (4, 3) tensor whose row 1 is "
                           "zero: a zero row stays zero", check_dtype=False)
    out = p.call(normalize_rows, torch.zeros(2, 4))
    p.expect(finite_of(out) is not False, nan.format(what="an all-zero (2, 4) matrix"))
    p.expect(out, "normalize_rows of an all-zero (2, 4) matrix should return zeros of that shape", check_dtype=False)


@check
def normalize_rows_dtype(p, normalize_rows):
    """normalize_rows keeps the float dtype and never modifies its input."""
    for dtype in (torch.float32, torch.float64):
        vectors = seeded_randn(3, 4, seed=21, dtype=dtype, scale=3.0)
        out = p.call(normalize_rows, vectors)
        hint = " (no .float() on the way)" if dtype == torch.float64 else ""
        p.expect(dtype_of(out), f"normalize_rows of {str(dtype)[6:]} rows returned {{got}}; it should keep their "
                                f"dtype{hint}")
        _unchanged(p, vectors, "normalize_rows", "/= or .div_()")
