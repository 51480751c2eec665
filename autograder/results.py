"""The words for grading results, from the judge to the class report (small dataclasses, no I/O).

How a result travels, and where each word is used::

    check judged           Verdict                  checks/_judge.py, grading/worker.py
    one grading run        Output, Graded, Event    grading/results.py (the run's own stages)
    stored by nbgrader     (its gradebook, autograded/ notebooks)
    read back              TestCell, CellScore,     gradebook_reader.py
                           ClassData, SubmissionResult
    computed               summaries                class_report.py
    rendered               tables, JSON, pages      report.py, dashboards/
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

NOTHING_GRADED = "so nothing in it was graded"
"""How every test cell of a notebook that could not be read ends its message (see
:func:`could_not_be_graded`): ``the notebook could not be read (NotJSONError), so nothing in it was graded``."""


def could_not_be_graded(message: str) -> bool:
    """Whether a failure message says the notebook itself could not be graded (its file could not be
    read), rather than that work was not done or done wrong."""
    return NOTHING_GRADED in message


@dataclass(frozen=True)
class Verdict:
    """The judge's outcome of one check on one submission."""

    passed: bool
    """True when every observation matched the reference."""
    message: str = ""
    """Why it failed, in words a student can act on (empty when passed)."""


@dataclass(frozen=True)
class TestCell:
    """A graded (test) cell of an assignment, as the instructor released it."""

    __test__ = False  # not a pytest test class, despite its name

    assignment: str
    notebook: str
    """Notebook name inside the assignment (without ``.ipynb``)."""
    grade_id: str
    """The cell's grade_id (the gradebook key), e.g. ``one_hot_basic``."""
    max_score: float
    """Points it is worth."""


@dataclass(frozen=True)
class CellScore:
    """One student's score on one test cell, as the gradebook holds it."""

    student: str
    """nbgrader student id."""
    assignment: str
    notebook: str
    grade_id: str
    score: float
    """Points earned: the manual score if an instructor set one, else the autograder's, plus extra credit."""
    max_score: float
    failure: str | None = None
    """The error the cell showed (``AssertionError: one_hot returned int64; ...``), when it was read
    from the autograded notebook; None for a passed cell or when failures were not read."""


@dataclass(frozen=True)
class ClassData:
    """Everything the class report needs, read once from the gradebook."""

    students: tuple[str, ...]
    """Every student in the gradebook, sorted (including those who submitted nothing)."""
    assignments: tuple[str, ...]
    """Assignments with at least one submission, sorted by name."""
    cells: tuple[TestCell, ...]
    """Test cells of those assignments, in assignment, notebook, grade_id order (or notebook order)."""
    scores: tuple[CellScore, ...]
    """One entry per submitted notebook and test cell."""

    def max_score(self, assignment: str) -> float:
        return sum(c.max_score for c in self.cells if c.assignment == assignment)

    @property
    def failures(self) -> tuple[CellScore, ...]:
        """The scores whose failure message was read."""
        return tuple(s for s in self.scores if s.failure is not None)


@dataclass
class SubmissionResult:
    """One student's submission of one assignment, for the instructor pipeline's report."""

    student: str
    assignment: str
    status: str
    """``graded``, ``not graded`` (autograding failed: see ``problem``) or ``missing``."""
    score: float = 0.0
    max_score: float = 0.0
    cells: list[CellScore] = field(default_factory=list)
    problem: str | None = None
    """A one-line reason when the submission could not be graded."""

    def to_dict(self) -> dict:
        return asdict(self)
