"""The checks of cosine_matrix: basic, scale, zero row, dtype."""
from __future__ import annotations

import math

import torch

from autograder.checks.toolbox import (
    TENSOR_TYPES, check, dtype_of, name_the_mistakes, seeded_randn, shape_of, tensors,
)

from ._shared import _unchanged


def _matrix_slips(vectors: torch.Tensor, where: str) -> list[tuple[torch.Tensor, str]]:
    """The usual slips that ``vectors`` tell apart from the right matrix: what each gives (computed in
    the grader, float64, before student code runs) and the message that names it."""
    v = vectors.to(torch.float64)
    norms = v.norm(dim=1)
    right = (v @ v.T) / torch.clamp(torch.outer(norms, norms), min=1e-8)
    by_columns = v / torch.clamp(v.norm(dim=0, keepdim=True), min=1e-8)
    slips = [(v @ v.T, f"cosine_matrix returned the dot products of the rows, vectors @ vectors.T ({where}): "
                       "divide [i, j] by |row i| |row j|, or normalise each row to length 1 first"),
             (by_columns @ by_columns.T, f"cosine_matrix normalised the columns (dim=0) instead of the rows ({where}): "
                                         "normalise each row (dim=1), since each row is one vector")]
    return [(wrong, message) for wrong, message in slips if float((wrong - right).abs().max()) > 1e-4]


def _entries(out, n: int):
    """The entries of an exact (n, n) real tensor as nested lists of floats; None for anything else."""
    if type(out) not in TENSOR_TYPES or tuple(tensors.shape(out)) != (n, n) or tensors.is_complex(out):
        return None
    return tensors.tolist(tensors.to(tensors.detach(out), torch.float64))


@check
def cosine_matrix_basic(p, cosine_matrix):
    """cosine_matrix: an (n, n) matrix of pairwise cosine similarities."""
    vectors = torch.tensor([[1.0, 0.0], [0.0, 2.0], [3.0, 3.0]])
    slips = _matrix_slips(vectors, "for [[1, 0], [0, 2], [3, 3]]")
    out = p.call(cosine_matrix, vectors.clone())
    p.expect(shape_of(out), "cosine_matrix of 3 vectors should have shape (3, 3), got {got}")
    name_the_mistakes(p, out, slips)
    p.expect(out, "cosine_matrix gave wrong values for [[1, 0], [0, 2], [3, 3]]: [i, j] is the cosine of rows "
                  "i and j", check_dtype=False)
    vectors = seeded_randn(5, 4, seed=51)
    slips = _matrix_slips(vectors, "for 5 random vectors")
    out = p.call(cosine_matrix, vectors.clone())
    p.expect(shape_of(out), "cosine_matrix of 5 vectors should have shape (5, 5), got {got}")
    name_the_mistakes(p, out, slips)
    p.expect(out, "cosine_matrix gave wrong values for 5 random vectors: [i, j] is the cosine of rows i and j",
             check_dtype=False)


@check
def cosine_matrix_scale(p, cosine_matrix):
    """cosine_matrix does not change when rows are scaled by positive numbers."""
    vectors = seeded_randn(4, 6, seed=61)
    slips = _matrix_slips(vectors, "for 4 random vectors")
    out = p.call(cosine_matrix, vectors.clone())
    name_the_mistakes(p, out, slips)
    p.expect(out, "cosine_matrix gave wrong values for 4 random vectors: [i, j] is the cosine of rows i and j",
             check_dtype=False)
    scales = torch.tensor([[0.01], [1.0], [40.0], [3.0]])
    out = p.call(cosine_matrix, vectors * scales)
    p.expect(out, "cosine_matrix changed when the rows were scaled by 0.01, 1, 40 and 3 (it was right unscaled): "
                  "a cosine ignores length, so normalise each row (vector) by its own length", check_dtype=False)
    out = p.call(cosine_matrix, seeded_randn(1, 3, seed=62) * 7)
    p.expect(out, "cosine_matrix of a single vector should be [[1.0]]", check_dtype=False)


@check
def cosine_matrix_zero_row(p, cosine_matrix):
    """cosine_matrix gives 0.0 in a zero row's row and column, the diagonal included."""
    # Unit rows around the zero row: the other entries are plain dot products, so a matrix that
    # forgets to normalise fails the cells about values, not this one.
    vectors = seeded_randn(4, 3, seed=71)
    vectors = vectors / vectors.norm(dim=1, keepdim=True)
    vectors[2] = 0.0
    slips = _matrix_slips(vectors, "for vectors whose row 2 is zero")
    out = p.call(cosine_matrix, vectors.clone(), what="cosine_matrix(vectors whose row 2 is zero)")
    p.expect(shape_of(out), "cosine_matrix of 4 vectors should have shape (4, 4), got {got}")
    entries = _entries(out, 4)
    cross = None if entries is None else entries[2] + [row[2] for row in entries]
    p.expect(None if cross is None else all(math.isfinite(x) for x in cross),
             "cosine_matrix gave NaN (or inf) in row or column 2, where row 2 of vectors is zero: 0 / 0 is NaN; "
             "divide by max(|row i| |row j|, 1e-8) so that a zero row gives 0.0")
    p.expect(None if entries is None else entries[2][2],
             "cosine_matrix put {got} at [2, 2], where row 2 of vectors is zero: a zero vector's cosine with "
             "itself is 0.0 too (only non-zero rows have 1.0 on the diagonal)")
    p.expect(cross, "cosine_matrix should have 0.0 everywhere in row 2 and column 2, where row 2 of vectors "
                    "is zero: divide by max(|row i| |row j|, 1e-8)")
    name_the_mistakes(p, out, slips)
    p.expect(out, "cosine_matrix is right in the zero row and column but wrong elsewhere: [i, j] is still the "
                  "cosine of rows i and j", check_dtype=False)


@check
def cosine_matrix_dtype(p, cosine_matrix):
    """cosine_matrix keeps the float dtype and leaves its input alone."""
    for dtype in (torch.float32, torch.float64):
        vectors = seeded_randn(3, 4, seed=81, dtype=dtype)
        out = p.call(cosine_matrix, vectors)
        name = str(dtype)[6:]
        p.expect(dtype_of(out), f"cosine_matrix of {name} vectors returned {{got}}; it should return a {name} "
                                "tensor (the vectors' dtype)")
        _unchanged(p, vectors, "vectors")
