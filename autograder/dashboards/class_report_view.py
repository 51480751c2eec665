"""ClassReportView: the thin ipywidgets view of :mod:`autograder.reporting.class_report`.

It reads the gradebook when built and on "Reload" (a preheated Voila kernel
renders the page before anyone asks for it, so the instructor must be able to
refresh what it shows). Everything shown comes from the model's functions; this
module only lays out HTML and SVG.
"""
from __future__ import annotations

import html
import os
from datetime import datetime, timezone
from pathlib import Path

import ipywidgets as w

from autograder.course_settings import DEFAULT_COURSE_DIR, course_settings
from autograder.reporting import class_report as cr
from autograder.reporting import gradebook_reader
from autograder.results import ClassData

from ._plots import ZERO, cell_bars_svg, hbar_svg, histogram_svg

DB_URL_ENV = "EMBEDDING_LAB_DB_URL"
COURSE_DIR_ENV = "EMBEDDING_LAB_COURSE_DIR"
TOP_FAILURES = 10
"""Failure messages shown at first; the others are folded under "N more failure messages"."""
_STYLE = "font-family: sans-serif; font-size: 13px;"
_TD = 'style="padding: 2px 10px; text-align: left; vertical-align: top;"'
_TD_WRAP = ('style="padding: 2px 10px; text-align: left; vertical-align: top; white-space: normal; '
            'overflow-wrap: anywhere; max-width: 560px;"')


class ClassReportView(w.VBox):
    """The class report: score distributions, test cells, failures, students needing help.

    ``ClassReportView(db_url, course_dir=None, threshold=HELP_THRESHOLD)``; failure
    messages are read from ``course_dir/autograded`` when ``course_dir`` is given.
    Controls: ``reload_button``, ``threshold_slider``. Parts: ``status_view``,
    ``assignments_view``, ``cells_view``, ``failures_view``, ``help_view``.
    """

    def __init__(self, db_url: str, course_dir: Path | str | None = None,
                 threshold: float = cr.HELP_THRESHOLD):
        self.db_url = db_url
        self.course_dir = Path(course_dir) if course_dir is not None else None
        self.data: ClassData | None = None
        self.reload_button = w.Button(description="Reload gradebook", icon="refresh",
                                      layout=w.Layout(width="auto", min_width="max-content"))  # the whole label, not "Reload gradeb..."
        self.threshold_slider = w.FloatSlider(
            value=threshold, min=0.0, max=1.0, step=0.05, readout_format=".0%",
            description="flag below", style={"description_width": "initial"})
        self.status_view, self.assignments_view, self.cells_view = w.HTML(), w.HTML(), w.HTML()
        self.failures_view, self.help_view = w.HTML(), w.HTML()
        super().__init__(children=[
            w.HBox([self.reload_button, self.status_view]),
            _heading("Score distribution per assignment"), self.assignments_view,
            _heading("Submissions per test cell"), self.cells_view,
            _heading("Most common failure messages"), self.failures_view,
            _heading("Students who need help"), self.threshold_slider, self.help_view])
        self.add_class("el-class-report")
        self.reload_button.on_click(lambda _button: self.reload())
        self.threshold_slider.observe(lambda _change: self._render_help(), names="value")
        self.reload()

    @classmethod
    def from_environment(cls) -> "ClassReportView":
        """The report of the course that ``embedding-lab dashboards`` was started for.

        The server passes the course through ``EMBEDDING_LAB_COURSE_DIR`` and
        ``EMBEDDING_LAB_DB_URL``; without them, ``./course`` and the gradebook its config names.
        """
        course_dir = Path(os.environ.get(COURSE_DIR_ENV, DEFAULT_COURSE_DIR))
        return cls(os.environ.get(DB_URL_ENV) or course_settings(course_dir).db_url, course_dir)

    def reload(self) -> None:
        """Read the gradebook again and redraw everything (an unreadable one is reported)."""
        try:
            data = gradebook_reader.read_gradebook(self.db_url)
            if self.course_dir is not None:
                data = gradebook_reader.with_failures(data, self.course_dir)
                data = gradebook_reader.in_notebook_order(data, self.course_dir)
        except gradebook_reader.GradebookError as error:
            self.data = None
            self.status_view.value = (f'<div class="el-report-error" style="{_STYLE} color:{ZERO};">'
                                      f"{html.escape(str(error))}</div>")
            for view in (self.assignments_view, self.cells_view, self.failures_view, self.help_view):
                view.value = ""
            return
        self.show(data)

    def show(self, data: ClassData) -> None:
        """Draw everything from ``data`` (what :meth:`reload` read)."""
        self.data = data
        when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        self.status_view.value = (
            f'<div class="el-report-status" data-students="{len(data.students)}" style="{_STYLE}">'
            f"{plural(len(data.students), 'student')}, {plural(len(data.assignments), 'assignment')} graded; "
            f"read from <code>{html.escape(gradebook_reader.redacted_url(self.db_url))}</code> at {when}</div>")
        self._render_assignments()
        self.cells_view.value = (cell_bars_svg(cr.cell_summaries(data)) if data.cells
                                 else _note("no graded test cells yet"))
        self._render_failures()
        self._render_help()

    # -- parts -------------------------------------------------------------------------------

    def _render_assignments(self) -> None:
        blocks = []
        for s in cr.assignment_summaries(self.data):
            if not s.bins:
                continue
            stats = (f"{len(s.scores)} submitted, mean {s.mean:.1f}, median {s.median:g} "
                     f"of {s.max_score:g} points" if s.scores else "no submissions")
            missing = f"; not submitted: {', '.join(s.missing)}" if s.missing else ""
            blocks.append(
                f'<div class="el-assignment" data-assignment="{s.assignment}" '
                f'data-submitted="{len(s.scores)}" data-mean="{s.mean if s.scores else ""}" '
                f'style="display:inline-block; margin-right:16px; {_STYLE}">'
                f"{histogram_svg(s.bins, s.assignment)}<div>{stats}{html.escape(missing)}</div></div>")
        self.assignments_view.value = "".join(blocks) or _note("no graded submissions yet")

    def _render_failures(self) -> None:
        if self.course_dir is None:
            self.failures_view.value = _note("failure messages need the course directory")
            return
        every = cr.common_failures(self.data.failures)
        not_graded = cr.not_graded_notebooks(self.data)
        if not every and not not_graded and any(s.score < s.max_score for s in self.data.scores) \
                and not self.data.failures:
            # cells lost points, but their messages live in notebooks we could not read
            self.failures_view.value = _note(
                f"test cells lost points, but no autograded notebook under {self.course_dir / 'autograded'} "
                "holds their messages (is --course-dir the course of this gradebook?)")
            return
        if not self.data.failures:
            self.failures_view.value = _note("no failing test cells")
            return
        untouched = sorted({(f.student, f"{f.assignment}.{f.grade_id}") for f in self.data.failures
                            if cr.not_attempted(f.failure or "") and not cr.could_not_be_graded(f.failure or "")})
        widest = max((f.count for f in every), default=1)
        top, rest = every[:TOP_FAILURES], every[TOP_FAILURES:]
        mistakes = _failure_table(top, widest) if every else _note(
            "no real mistakes: every failing cell was untouched or could not be graded")
        if rest:  # every message is on the page; the less frequent ones one click away
            mistakes += (f'<details class="el-more-failures" style="{_STYLE} margin-top: 6px;">'
                         f"<summary>{plural(len(rest), 'more failure message')}</summary>"
                         f"{_failure_table(rest, widest)}</details>")
        self.failures_view.value = mistakes + _untouched_note(untouched) + _not_graded_note(not_graded)

    def _render_help(self) -> None:
        if self.data is None:
            return
        threshold = self.threshold_slider.value
        flags = cr.students_needing_help(self.data, threshold)
        # The caption states the rule, so every threshold change shows on the page.
        caption = (f'<div class="el-help-rule" data-threshold="{threshold:.2f}" data-flagged="{len(flags)}" '
                   f'style="{_STYLE}">{plural(len(flags), "student")} missed an assignment or scored below '
                   f"{threshold:.0%} of its points</div>")
        if not flags:
            self.help_view.value = caption
            return
        rows = [(f.student, f.share, "; ".join(f.reasons)) for f in flags]
        table = "".join(
            f'<tr class="el-help" data-student="{html.escape(f.student)}" data-share="{f.share:.4f}">'
            f"<td {_TD}>{html.escape(f.student)}</td><td {_TD}>{f.share:.0%}</td>"
            f"<td {_TD_WRAP}>{html.escape('; '.join(f.reasons))}</td>"
            f"<td {_TD_WRAP}>{html.escape(', '.join(f.weakest))}</td></tr>" for f in flags)
        self.help_view.value = caption + (
            hbar_svg(rows, 1.0, "help", value_label=lambda v: f"{v:.0%}", colour=ZERO)
            + f'<table style="{_STYLE} border-collapse: collapse;"><tr><th {_TD}>student</th>'
            f"<th {_TD}>share of points</th><th {_TD}>why</th>"
            f"<th {_TD}>attempted test cells with no points</th></tr>{table}</table>")


def _failure_table(failures: list[cr.FailureCount], widest: int) -> str:
    rows = "".join(
        f'<tr class="el-failure" data-count="{f.count}" data-message="{html.escape(f.message)}">'
        f'<td {_TD}>{_count_bar(f.count, widest)}</td>'
        f'<td {_TD_WRAP}>{html.escape(readable_message(f.message))}</td>'
        f"<td {_TD_WRAP}>{html.escape(', '.join(f.grade_ids))}<br>"
        f'<span style="color:#555;">{html.escape(plural(len(f.students), "student"))}: '
        f"{html.escape(', '.join(f.students))}</span></td></tr>" for f in failures)
    return (f'<table style="{_STYLE} border-collapse: collapse; max-width: 1100px;">'
            f"<tr><th {_TD}>failing cells</th><th {_TD}>message (what the student read)</th>"
            f"<th {_TD}>test cells</th></tr>{rows}</table>")


def _heading(text: str) -> w.HTML:
    return w.HTML(f'<h3 style="{_STYLE} font-size:15px; margin:12px 0 4px;">{text}</h3>')


def _note(text: str, kind: str = "") -> str:
    classes = f"el-note {kind}".strip()
    return f'<div class="{classes}" style="{_STYLE} color:#555; margin-top: 6px;">{html.escape(text)}</div>'



def plural(count: int, noun: str) -> str:
    """``1 student``, ``2 students``, ``0 students``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def readable_message(message: str) -> str:
    """A failure message as the student read it, without the ``AssertionError: `` every hidden test starts with."""
    return message.removeprefix("AssertionError: ").strip() or message


def _count_bar(count: int, widest: int) -> str:
    width = round(80 * count / max(widest, 1))
    return (f'<span style="display:inline-block; width:{width}px; height:10px; background:{ZERO}; '
            f'margin-right:6px;"></span>{count}')


def _untouched_note(untouched: list[tuple[str, str]]) -> str:
    if not untouched:
        return ""
    students = sorted({student for student, _ in untouched})
    return _note(f"Not attempted (left out above): {plural(len(untouched), 'test cell')} of "
                 f"{plural(len(students), 'student')} ({', '.join(students)}) failed only because the work "
                 "was not done (the function still raises NotImplementedError, or a quiz answer is missing).",
                 "el-not-attempted")


def _not_graded_note(not_graded: list[tuple[str, str, str]]) -> str:
    if not not_graded:
        return ""
    each = " ".join(f"{student}'s {assignment}: {why} (once it is handed in again: embedding-lab grade "
                    f"{assignment} --student {student} --force)." for student, assignment, why in not_graded)
    return _note(f"Could not be graded (left out above; every test cell scored 0): {each}", "el-not-graded")
