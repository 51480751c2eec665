"""The checks of project_2d: a centred projection on the two principal directions, their order,
dtypes and errors."""
from __future__ import annotations

import numpy as np
import torch

from autograder.checks.toolbox import check, dtype_of, name_the_mistakes, shape_of, tensors

from ._shared import _distinct, _float64, _sign_fixed, _unchanged


def _spread(rows: int, seed: int, dtype=torch.float32, offset: float = 0.0) -> torch.Tensor:
    """Rows with clearly different variances along random directions (so the principal
    directions are well defined), shifted by ``offset``."""
    generator = torch.Generator().manual_seed(seed)
    base = torch.randn(rows, 4, generator=generator, dtype=torch.float64) * torch.tensor([5.0, 2.0, 0.5, 0.1], dtype=torch.float64)
    rotation, _ = torch.linalg.qr(torch.randn(4, 4, generator=generator, dtype=torch.float64))
    return (base @ rotation + offset).to(dtype)


def _principal(rows: np.ndarray) -> np.ndarray:
    """The covariance's eigenvectors as columns, largest variance first."""
    _, directions = np.linalg.eigh(rows.T @ rows)
    return directions[:, ::-1]


def _projection_slips(vectors: torch.Tensor) -> tuple[torch.Tensor, list[tuple[torch.Tensor, str]]]:
    """The right projection and what known mistakes give, computed by the grader in float64.

    Where two mistakes give the same coordinates the first one's message is shown, so the
    order matters: on 2-D rows the first two coordinates are the principal directions
    swapped (or not), and the swap's message is true of both."""
    rows = _float64(vectors)
    centred = rows - rows.mean(axis=0)
    right = centred @ _principal(centred)[:, :2]
    slips = [(rows @ _principal(rows)[:, :2],
              "did not subtract the mean row: centre the rows first (vectors - vectors.mean(dim=0)), then project"),
             (right[:, ::-1],
              "put the second principal direction in column 0: column 0 is the direction of largest variance "
              "(torch.linalg.eigh lists eigenvalues in ascending order, so its last eigenvector comes first)"),
             (centred @ _principal(centred)[:, [-1, -2]],
              "projected on the two directions of smallest variance: torch.linalg.eigh lists eigenvalues in "
              "ascending order, so take its last two eigenvectors, the largest first"),
             (centred[:, :2],
              "kept the first two coordinates of the centred rows: project them on the two principal directions "
              "instead (e.g. the top two right singular vectors of the centred rows)")]
    return torch.from_numpy(right.copy()), [(torch.from_numpy(w.copy()), why) for w, why in slips]


def _any_order(out):
    """A sign-fixed (n, 2) result with its columns ordered by size (sum of squares), so this
    compares which two columns there are and not their order. Anything else as is."""
    fixed = _sign_fixed(out)
    if type(fixed) is not torch.Tensor or fixed is out:
        return fixed
    columns = sorted(zip(*tensors.tolist(fixed)), key=lambda col: -sum(v * v for v in col))
    return torch.tensor([list(row) for row in zip(*columns)], dtype=torch.float64)


def _projection_step(p, project_2d, vectors, label, rule, *, any_order=False):
    """One call of project_2d: the shape, the known mistakes that give other coordinates
    (where they do), then the value; either sign of a column, and with ``any_order`` either
    order of the columns, is accepted."""
    view = _any_order if any_order else _sign_fixed
    right, slips = _projection_slips(vectors)
    distinct = _distinct(view(right), [(view(wrong), f"project_2d({label}) {why}") for wrong, why in slips], 1e-2)
    out = p.call(project_2d, vectors.clone(), what=f"project_2d({label})")
    n = vectors.shape[0]
    p.expect(shape_of(out), f"project_2d of {n} rows should return shape ({n}, 2), got {{got}}")
    name_the_mistakes(p, view(out), distinct, atol=1e-3)
    # 1e-4: float32 rows far from the origin lose a few digits when centred, whichever way.
    accepted = "either sign and either order of the columns" if any_order else "either sign of a column"
    p.expect(view(out), f"project_2d({label}) gave wrong coordinates: {rule} ({accepted} is accepted)",
             atol=1e-4, check_dtype=False)


@check
def project_2d_basic(p, project_2d):
    """project_2d: (n, 2) coordinates on the first two principal directions (either sign)."""
    rule = "the centred rows on the two principal directions, largest variance first"
    _projection_step(p, project_2d, _spread(12, 31), "12 random rows of 4 numbers", rule)
    _projection_step(p, project_2d, torch.tensor([[2.0, 0.0], [-2.0, 0.0], [0.0, 1.0], [0.0, -1.0]]),
                     "[[2.0, 0.0], [-2.0, 0.0], [0.0, 1.0], [0.0, -1.0]]", rule)


@check
def project_2d_centred(p, project_2d):
    """project_2d subtracts the mean row first."""
    # 2-D rows whose principal directions are the axes (sum of x * y is 0 once centred), far from
    # the origin and by a different amount per column: centring alone decides, not the order.
    rule = "subtract the mean row (vectors.mean(dim=0)) before projecting"
    _projection_step(p, project_2d, torch.tensor([[46.0, 25.0], [38.0, 26.0], [38.0, 26.0], [38.0, 23.0]]),
                     "[[46.0, 25.0], [38.0, 26.0], [38.0, 26.0], [38.0, 23.0]]", rule, any_order=True)
    _projection_step(p, project_2d, torch.tensor([[-15.0, 56.0], [-14.0, 48.0], [-14.0, 48.0], [-17.0, 48.0]]),
                     "[[-15.0, 56.0], [-14.0, 48.0], [-14.0, 48.0], [-17.0, 48.0]]", rule, any_order=True)


def _hadamard_rows() -> torch.Tensor:
    """8 centred rows of 4 numbers whose principal directions are the axes, variances in
    decreasing order (columns 1-4 of an 8 x 8 Hadamard matrix, scaled)."""
    h2 = torch.tensor([[1.0, 1.0], [1.0, -1.0]])
    h8 = torch.kron(h2, torch.kron(h2, h2))
    return h8[:, [1, 2, 4, 7]] * torch.tensor([5.0, 3.0, 1.5, 0.5])


@check
def project_2d_order(p, project_2d):
    """project_2d puts the direction of largest variance in column 0."""
    # Centred rows whose principal directions are the axes, largest variance first: only the
    # order of the directions decides (centring and the directions themselves are other cells').
    rule = "column 0 is the direction of largest variance, column 1 the next"
    _projection_step(p, project_2d, _hadamard_rows(), "8 centred rows of 4 numbers", rule)
    vectors = torch.tensor([[4.0, 0.0], [-2.0, 0.0], [-2.0, 0.0], [0.0, 2.0], [0.0, -1.0], [0.0, -1.0]])
    _projection_step(p, project_2d, vectors, "[[4.0, 0.0], [-2.0, 0.0], [-2.0, 0.0], [0.0, 2.0], [0.0, -1.0], "
                     "[0.0, -1.0]]", rule)


@check
def project_2d_dtype(p, project_2d):
    """project_2d: float32 in, float32 out; the input is never modified."""
    vectors = _spread(8, 51)
    out = p.call(project_2d, vectors)
    p.expect(dtype_of(out), "project_2d of float32 rows returned {got}; it should return float32 (if you "
                            "compute in float64, convert the result back)")
    _unchanged(p, vectors, "project_2d", "-= or .sub_()")


@check
def project_2d_errors(p, project_2d):
    """project_2d raises ValueError for fewer than 2 rows."""
    for rows in (1, 0):
        p.raises(ValueError, project_2d, torch.ones(rows, 4),
                 message=f"project_2d of {rows} row(s) should raise ValueError (it needs n >= 2), but raised {{got}}")
