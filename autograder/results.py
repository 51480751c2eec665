"""Grading results as small dataclasses (no I/O here)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class CellResult:
    """One autograded test cell of one submission."""

    notebook: str
    """The notebook's name (without .ipynb)."""
    grade_id: str
    """The test cell's grade_id (the gradebook key)."""
    score: float
    """Points given (manual score if an instructor overrode it, else the autograder's)."""
    max_score: float
    """Points the cell is worth."""
    failure: str | None = None
    """The error the cell raised (``AssertionError: one_hot returned int64; ...``), if any."""


@dataclass
class SubmissionResult:
    """One student's submission of one assignment."""

    student: str
    assignment: str
    status: str
    """``graded``, ``not graded`` (autograding failed: see ``problem``) or ``missing``."""
    score: float = 0.0
    max_score: float = 0.0
    cells: list[CellResult] = field(default_factory=list)
    problem: str | None = None
    """A one-line reason when the submission could not be graded."""

    def to_dict(self) -> dict:
        return asdict(self)
