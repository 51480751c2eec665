"""Small dataclasses passed between the grading stages (no I/O, no logic)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from autograder.results import Verdict


@dataclass(frozen=True)
class Step:
    """One thing the sandbox does for one notebook cell, in notebook order."""

    cell_index: int
    """Index of the cell in the repaired notebook (where outputs go)."""
    kind: str
    """``exec`` (run the code), ``probe`` (run a registered check) or ``skip`` (nothing to run)."""
    code: str = ""
    """For ``exec``: plain Python, already transformed from IPython syntax in the grading process."""
    check: str = ""
    """For ``probe``: the check key, ``assignment.grade_id``."""
    grade_id: str = ""
    """The cell's grade_id, if it has one (for reports)."""
    is_test: bool = False
    """True for autograded test cells (their score depends on this step)."""
    undefined: tuple[tuple[str, str], ...] = ()
    """For ``probe``: (name, why it is missing) for each name it uses that only a cell which
    does not compile defines (see ``plan.explain_undefined``)."""


@dataclass
class Output:
    """What one step produced, as plain data (later turned into notebook outputs)."""

    stdout: str = ""
    stderr: str = ""
    result: str | None = None
    """``repr`` of the value of the cell's last expression, as IPython would display it."""
    error: dict | None = None
    """``{"ename", "evalue", "traceback"}`` when the cell raised or could not run."""
    steps: list | None = None
    """For probes: the steps recorded in the sandbox (JSON data, judged outside)."""
    verdict: Verdict | None = None
    """For test cells: the judge's verdict (its message is what the student reads); None for other cells."""


@dataclass
class Event:
    """Something unusual about a submission, for the per-submission report."""

    kind: str
    """``timeout``, ``crash``, ``memory``, ``repair``, ``tampering``, ``sandbox`` (tried to reach
    beyond its sandbox: programs, network, files that are not there), ``in-kernel``, ``error``."""
    detail: str
    """One line in words."""
    grade_id: str = ""
    """The cell concerned, if any."""


@dataclass
class Graded:
    """Everything the grading run learnt about one submitted notebook."""

    student: str
    assignment: str
    notebook: str
    outputs: dict[int, Output] = field(default_factory=dict)
    """Cell index (in the repaired notebook) -> what that cell produced."""
    events: list[Event] = field(default_factory=list)
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    """Test cell grade_id -> its verdict."""
    restarts: int = 0
    """How many times the sandbox died and was restarted."""
    seconds: float = 0.0
    """Wall-clock time spent executing (for the report, never asserted)."""

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("outputs")
        # The JSON report's form: null for a passed cell, else the message.
        data["verdicts"] = {grade_id: None if v.passed else v.message for grade_id, v in self.verdicts.items()}
        return data
