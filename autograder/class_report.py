"""The instructor's view of the class, computed from a :class:`ClassData` snapshot.

Pure functions over the snapshot that ``gradebook_reader.read_gradebook`` reads
(score distributions per assignment and per test cell, the most common failure
messages, students who need help). The dashboard
(``autograder/dashboards/class_report_view.py``) only renders these results; the
tests build small gradebooks with known scores.
"""
from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from .results import CellScore, ClassData, could_not_be_graded

HELP_THRESHOLD = 0.75
"""Default share of an assignment's points below which a student is flagged.

Each test cell checks one rule of a task, worth 1 or 2 of about 30 points, so a
student below 75% has broken several rules of the same few functions (9 of 31
points lost on a1 is 71%: most of one_hot's or lookup's rules): that is a
misunderstood idea worth a conversation, not a detail. One or two slips stay above."""

# NotImplementedError: the released solution cell, untouched. NameError (visible part of a
# test cell) and the check's "is not defined": an answer or function that was never written.
_NOT_ATTEMPTED_SIGNS = ("NotImplementedError", "is not defined: run the cell that defines it", "NameError: name '")


def not_attempted(message: str) -> bool:
    """Whether a failure message says the work was not done, rather than done wrong.

    The released notebook leaves ``raise NotImplementedError()`` in every solution
    cell and no quiz answer variable: a test cell that fails on those is untouched work.
    """
    return any(sign in message for sign in _NOT_ATTEMPTED_SIGNS)


@dataclass(frozen=True)
class Bin:
    """One bar of a histogram: ``lo <= value < hi`` (the last bin includes ``hi``)."""

    lo: float
    hi: float
    count: int


@dataclass(frozen=True)
class AssignmentSummary:
    """Score distribution of one assignment over the students who submitted it."""

    assignment: str
    max_score: float
    scores: tuple[float, ...]
    """Total score of each submitting student, ascending."""
    missing: tuple[str, ...]
    """Students with no submission."""
    bins: tuple[Bin, ...]

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.scores) if self.scores else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.scores) if self.scores else None


@dataclass(frozen=True)
class CellSummary:
    """How the class did on one test cell."""

    assignment: str
    grade_id: str
    max_score: float
    full: int
    """Submissions with every point."""
    partial: int
    """Submissions with some but not all points."""
    zero: int
    """Submissions with no point that attempted it (a real mistake)."""
    not_attempted: int = 0
    """Submissions with no point whose failure says the work was not done (see :func:`not_attempted`)."""
    not_graded: int = 0
    """Submissions whose notebook could not be graded at all (its file could not be read)."""

    @property
    def submissions(self) -> int:
        return self.full + self.partial + self.zero + self.not_attempted + self.not_graded


@dataclass(frozen=True)
class FailureCount:
    """A failure message and how often it occurred."""

    message: str
    count: int
    """Test cells (student x cell) that failed with this message."""
    students: tuple[str, ...]
    grade_ids: tuple[str, ...]
    """``assignment.grade_id`` of the cells where it occurred."""


@dataclass(frozen=True)
class HelpFlag:
    """A student who needs help, and why."""

    student: str
    share: float
    """Share of all points available in the submitted-to assignments (missing ones count 0)."""
    reasons: tuple[str, ...]
    """One line per problem, e.g. ``a2_linear: 40% of the points``."""
    weakest: tuple[str, ...] = field(default=())
    """``assignment.grade_id`` of the test cells they attempted and scored 0 on."""


def student_totals(data: ClassData) -> dict[str, dict[str, float | None]]:
    """``{assignment: {student: total score, or None if not submitted}}``."""
    totals: dict[str, dict[str, float | None]] = {
        a: {s: None for s in data.students} for a in data.assignments}
    for g in data.scores:
        per_student = totals.setdefault(g.assignment, {})
        per_student[g.student] = (per_student.get(g.student) or 0.0) + g.score
    return totals


def histogram(values: Iterable[float], max_value: float, bins: int = 10) -> tuple[Bin, ...]:
    """Counts of ``values`` in ``bins`` equal bins over ``[0, max_value]``.

    Values are clamped into the range (extra credit can exceed the maximum);
    the last bin includes ``max_value`` so full marks are counted.
    """
    if bins < 1:
        raise ValueError(f"bins must be at least 1, got {bins}")
    if max_value <= 0:
        raise ValueError(f"max_value must be positive, got {max_value}")
    if float(max_value).is_integer() and max_value >= bins:
        # Whole points: bins a whole number of points wide (ticks 0, 4, 8, ... for 31
        # points), the last one ending at the maximum; at most ``bins`` of them.
        width = float(math.ceil(max_value / bins))
        bins = math.ceil(max_value / width)
    else:
        width = max_value / bins
    counts = [0] * bins
    for v in values:
        i = int(min(max(v, 0.0), max_value) / width)
        counts[min(i, bins - 1)] += 1
    return tuple(Bin(i * width, min((i + 1) * width, max_value), c) for i, c in enumerate(counts))


def assignment_summaries(data: ClassData, bins: int = 10) -> list[AssignmentSummary]:
    """Per assignment: the distribution of total scores and who did not submit."""
    out = []
    for assignment, per_student in student_totals(data).items():
        max_score = data.max_score(assignment)
        scores = sorted(v for v in per_student.values() if v is not None)
        missing = tuple(s for s, v in sorted(per_student.items()) if v is None)
        hist = histogram(scores, max_score, bins) if max_score > 0 else ()
        out.append(AssignmentSummary(assignment, max_score, tuple(scores), missing, hist))
    return out


def _not_graded(data: ClassData) -> set[tuple[str, str, str]]:
    """(student, assignment, grade_id) of the cells of notebooks that could not be graded at all."""
    return {(f.student, f.assignment, f.grade_id) for f in data.failures if could_not_be_graded(f.failure or "")}


def _untouched(data: ClassData) -> set[tuple[str, str, str]]:
    """(student, assignment, grade_id) of the cells where nothing was tried.

    A cell whose failure says the work was not done, and every cell of a submission
    that earned no point at all (unless its notebook could not be graded, which is
    counted apart): neither tells the instructor about a misconception.
    """
    totals = student_totals(data)
    nothing = {(g.student, g.assignment, g.grade_id) for g in data.scores
               if not totals.get(g.assignment, {}).get(g.student)}
    tried = nothing | {(f.student, f.assignment, f.grade_id) for f in data.failures if not_attempted(f.failure or "")}
    return tried - _not_graded(data)


def cell_summaries(data: ClassData) -> list[CellSummary]:
    """Per test cell: how many submissions earned full, partial and no points, how many never tried,
    and how many could not be graded."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    untouched, not_graded = _untouched(data), _not_graded(data)
    for g in data.scores:
        slot = 0 if g.score >= g.max_score else (2 if g.score <= 0 else 1)
        key = (g.student, g.assignment, g.grade_id)
        if slot == 2 and key in not_graded:
            slot = 4
        elif slot == 2 and key in untouched:
            slot = 3
        counts[(g.assignment, g.grade_id)][slot] += 1
    return [CellSummary(c.assignment, c.grade_id, c.max_score, *counts[(c.assignment, c.grade_id)])
            for c in data.cells]


def common_failures(failures: Iterable[CellScore], top: int | None = None) -> list[FailureCount]:
    """The failure messages of real mistakes, most frequent first (all of them, or the ``top`` ones).

    Untouched work (:func:`not_attempted`) and notebooks that could not be graded are left
    out: they are counted apart. Messages are compared after trimming surrounding
    whitespace; ties are ordered by message so the list is stable from one reload to the next.
    """
    by_message: dict[str, list[CellScore]] = defaultdict(list)
    for f in failures:
        message = (f.failure or "").strip()
        if message and not not_attempted(message) and not could_not_be_graded(message):
            by_message[message].append(f)
    ranked = sorted(by_message.items(), key=lambda item: (-len(item[1]), item[0]))
    return [FailureCount(message, len(fs),
                         tuple(sorted({f.student for f in fs})),
                         tuple(sorted({f"{f.assignment}.{f.grade_id}" for f in fs})))
            for message, fs in ranked[:top]]


def not_graded_notebooks(data: ClassData) -> list[tuple[str, str, str]]:
    """``(student, assignment, why)`` of each submission whose notebook could not be graded at all,
    ``why`` as its test cells said it (without ``AssertionError: ``)."""
    seen: dict[tuple[str, str], str] = {}
    for f in data.failures:
        message = (f.failure or "").strip()
        if could_not_be_graded(message):
            seen.setdefault((f.student, f.assignment), message.removeprefix("AssertionError: "))
    return [(student, assignment, why) for (student, assignment), why in sorted(seen.items())]


def students_needing_help(data: ClassData, threshold: float = HELP_THRESHOLD) -> list[HelpFlag]:
    """Students who missed an assignment or scored below ``threshold`` of its points.

    Sorted by overall share of points, lowest first, then by student id.
    """
    if not 0 <= threshold <= 1:
        raise ValueError(f"threshold is a share of the points, between 0 and 1; got {threshold}")
    totals = student_totals(data)
    untouched = _untouched(data) | _not_graded(data)
    not_graded = {(student, assignment): why for student, assignment, why in not_graded_notebooks(data)}
    told: dict[tuple[str, str], list[str]] = defaultdict(list)  # the messages read, per submission
    for f in data.failures:
        told[(f.student, f.assignment)].append(f.failure or "")
    zero_cells: dict[str, list[str]] = defaultdict(list)
    for g in data.scores:
        if g.score <= 0 < g.max_score and (g.student, g.assignment, g.grade_id) not in untouched \
                and totals[g.assignment].get(g.student):  # an assignment with 0 points is "not attempted"
            zero_cells[g.student].append(f"{g.assignment}.{g.grade_id}")
    flags = []
    for student in data.students:
        reasons, earned, available = [], 0.0, 0.0
        for assignment in data.assignments:
            max_score = data.max_score(assignment)
            score = totals[assignment].get(student)
            available += max_score
            if score is None:
                reasons.append(f"{assignment}: not submitted")
                continue
            earned += score
            if (student, assignment) in not_graded:
                reasons.append(f"{assignment}: could not be graded ({not_graded[(student, assignment)]})")
            elif max_score > 0 and score <= 0:
                # Without the failure messages the gradebook cannot tell untouched work from a
                # notebook that could not be graded.
                messages = told.get((student, assignment))
                why = ("not attempted, or not gradable" if not messages
                       else "not attempted" if all(not_attempted(m) for m in messages) else "no test cell passed")
                reasons.append(f"{assignment}: 0 of {max_score:g} points ({why})")
            elif max_score > 0 and score < threshold * max_score:
                reasons.append(f"{assignment}: {score / max_score:.0%} of the points "
                               f"({max_score - score:g} of {max_score:g} lost)")
        if reasons:
            share = earned / available if available else 0.0
            flags.append(HelpFlag(student, share, tuple(reasons), tuple(zero_cells[student])))
    return sorted(flags, key=lambda f: (f.share, f.student))
