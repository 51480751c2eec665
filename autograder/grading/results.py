"""Small dataclasses passed between the grading stages (no I/O), and how their text is made safe to show.

Whatever a submission controls (file names, grade_ids, exception messages, what its
code printed) may reach an event's words; :func:`one_line` makes such text one
printable line, so a report built from events can never be forged by it.
"""
from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, field

from autograder.results import Verdict

MAX_EVENTS = 40
"""Events kept per submitted notebook; more are counted in one last event."""
MAX_DETAIL = 500


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str, keep: str = "") -> str:
    """``text`` with every control, format (bidi overrides included), line-separator, private or
    unassigned character written as an escape (``\\n``, ``\\x1b``, ``\\u202e``), except those in ``keep``."""
    if text.isprintable():
        return text
    return "".join(ch if ch in keep or ch.isprintable() or unicodedata.category(ch) == "Zs" else
                   "\\n" if ch == "\n" else "\\t" if ch == "\t" else _escape(ch) for ch in text)


def one_line(text: str, limit: int = MAX_DETAIL) -> str:
    """``text`` as one printable line of at most ``limit`` characters."""
    text = printable(str(text))
    return text if len(text) <= limit else text[:limit - 3] + "..."


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

    def __post_init__(self):
        # Built from what a submission controls, shown one per line: never more than one line.
        self.detail = one_line(self.detail)
        self.grade_id = one_line(self.grade_id, 120)


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

    def note(self, event: Event) -> None:
        """Add ``event``; past ``MAX_EVENTS``, only count it (one submission cannot flood the report)."""
        if len(self.events) < MAX_EVENTS - 1:
            self.events.append(event)
            return
        if len(self.events) == MAX_EVENTS - 1:
            self.events.append(Event("error", "more unusual events than the report lists: 1 left out"))
            return
        more = int(self.events[-1].detail.split(": ")[-1].split()[0]) + 1
        self.events[-1] = Event("error", f"more unusual events than the report lists: {more} left out")

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("outputs")
        # The JSON report's form: null for a passed cell, else the message.
        data["verdicts"] = {grade_id: None if v.passed else v.message for grade_id, v in self.verdicts.items()}
        return data
