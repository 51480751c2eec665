"""The instructor pipeline on nbgrader's own API: generate, autograde, feedback, export.

``run_demo`` is the main job: it runs the whole pipeline on the bundled course with
the bundled example submissions. Autograding is ``embedding-lab grade``'s (the
hardened grader, ``grading/runner.py``) unless ``grader="nbgrader"`` asks for stock
``nbgrader autograde``; every other step goes through ``NbGraderAPI`` exactly as the
stock ``nbgrader`` commands and the formgrader do, so the course directory it leaves
behind is an ordinary nbgrader course.
"""
from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from nbgrader.plugins import CsvExportPlugin
from sqlalchemy.exc import SAWarning
from tqdm import tqdm

from .reporting import score_table
from .reporting.gradebook_reader import collect_results
from .course import (ASSIGNMENTS_DIR, DEFAULT_COURSE_DIR, GRADERS, CourseError, available_assignments, ensure_tools_on_path, init_course,
                     require_course)
from .course_settings import course_settings
from .demo_submissions import DEMO_STUDENTS, DemoStudent
from .results import SubmissionResult


def nbgrader_api(course_dir: Path, db_url: str | None = None) -> NbGraderAPI:
    ensure_tools_on_path()
    api = NbGraderAPI(config=course_settings(course_dir, db_url).config)
    api.log.setLevel(logging.ERROR)
    return api


_EXCEPTION_LINE = re.compile(r"^\s*(?:[\w.]+\.)?(\w+(?:Error|Exception|Exit)): (.*)$")


def one_line(result: dict) -> str:
    """The gist of a failed nbgrader API call: its innermost exception, on one line."""
    text = (result.get("log") or "") + "\n" + (result.get("error") or "")
    for line in reversed(text.splitlines()):
        match = _EXCEPTION_LINE.match(line)
        if match and match.group(1) != "NbGraderException":
            name, message = match.groups()
            return f"{name}: {message[:160]}"
    errors = [ln.split("] ", 1)[-1].strip() for ln in text.splitlines() if "[ERROR]" in ln]
    return errors[0][:200] if errors else "nbgrader reported a failure without a message"


@dataclass
class PipelineResult:
    """Where everything went, and how each submission fared."""

    course_dir: Path
    db_url: str
    results: list[SubmissionResult] = field(default_factory=list)
    problems: dict[tuple[str, str], str] = field(default_factory=dict)
    """(student, assignment) -> why it could not be graded."""
    assignment_errors: dict[str, str] = field(default_factory=dict)
    """assignment -> why its student version could not be generated."""
    notes: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    """(student, assignment) -> what ``embedding-lab grade`` found unusual (repairs, timeouts...)."""
    csv_path: Path | None = None
    json_path: Path | None = None
    feedback_dir: Path | None = None


def run_demo(course_dir: Path | str = DEFAULT_COURSE_DIR, db_url: str | None = None,
             assignments: list[str] | None = None, students: list[DemoStudent] | None = None,
             echo: Callable[[str], None] = print, progress: bool = True,
             assignments_dir: Path = ASSIGNMENTS_DIR, grader: str = GRADERS[0]) -> PipelineResult:
    """Initialise the course, generate, submit the examples, autograde, give feedback, export.

    ``grader`` is ``embedding-lab`` (the hardened grader) or ``nbgrader`` (stock autograde).
    """
    if grader not in GRADERS:
        raise CourseError(f"unknown grader {grader!r}; choose one of {', '.join(GRADERS)}")
    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own session handling, harmless
    init = init_course(course_dir, assignments_dir, db_url=db_url, assignments=assignments)
    course_dir = require_course(init.course_dir)
    for rel in init.kept:
        echo(f"kept your edited {rel} (the repository's version differs)")
    api = nbgrader_api(course_dir, db_url)
    db_url = api.coursedir.db_url
    out = PipelineResult(course_dir, db_url)
    students = students if students is not None else DEMO_STUDENTS

    generated = []
    for name in init.assignments:
        result = api.generate_assignment(name, force=True, create=True)
        if result["success"]:
            generated.append(name)
        else:
            out.assignment_errors[name] = one_line(result)
            echo(f"error: could not generate the student version of {name}: {out.assignment_errors[name]}")

    with Gradebook(db_url) as gb:
        for student in students:
            # nbgrader's CSV exporter does not quote fields: keep names free of commas.
            gb.update_or_create_student(student.id, first_name=student.id.title(), last_name="Example")
    jobs = []
    for name in generated:
        release_nb = course_dir / "release" / name / f"{name}.ipynb"
        for student in students:
            if student.submit(course_dir, name, release_nb) is not None:
                jobs.append((student.id, name))
    if grader == "nbgrader":
        for student_id, name in tqdm(jobs, desc="autograding", unit="submission", disable=not progress):
            result = api.autograde(name, student_id, force=True, create=True)
            if not result["success"]:
                out.problems[(student_id, name)] = one_line(result)
    else:
        _grade_hardened(out, sorted({name for _, name in jobs}, key=generated.index), jobs, progress)
    for student_id, name in tqdm(jobs, desc="feedback", unit="submission", disable=not progress):
        if (student_id, name) not in out.problems:
            result = api.generate_feedback(name, student_id, force=True)
            if not result["success"]:
                echo(f"warning: no feedback for {student_id}/{name}: {one_line(result)}")

    exports = course_dir / "exports"
    exports.mkdir(exist_ok=True)
    out.csv_path = export_csv(db_url, exports / "grades.csv")
    out.results = collect_results(course_dir, db_url, out.problems, [s.id for s in students])
    out.json_path = score_table.write_json(out.results, exports / "grades.json")
    out.feedback_dir = course_dir / "feedback"
    return out



def _grade_hardened(out: PipelineResult, assignments: list[str], jobs: list[tuple[str, str]],
                    progress: bool) -> None:
    """``embedding-lab grade --force`` on each assignment; problems and unusual events go into ``out``."""
    from .grading.limits import CELL_TIMEOUT, Limits
    from .grading.runner import grade_assignment
    from .reporting.run_report import Progress

    # The course's per-cell timeout, as `embedding-lab grade` and stock nbgrader use it (not the
    # grader's 30 s default: a6's live pretraining and classifier cells take longer on a loaded machine).
    limits = Limits(timeout=course_settings(out.course_dir).cell_timeout or CELL_TIMEOUT)
    for name in assignments:
        bar = Progress(enabled=progress, desc=f"grading {name}")
        try:
            run = grade_assignment(out.course_dir, name, force=True, progress=bar, limits=limits)
        finally:
            bar.close()
        for graded in run.graded:
            notes = [f"{e.kind}{f' [{e.grade_id}]' if e.grade_id else ''}: {e.detail}" for e in graded.events]
            if notes:
                out.notes.setdefault((graded.student, name), []).extend(notes)
        stored = {g.student for g in run.graded}
        for student, problem in run.failed:
            # the runner names the student when it can; otherwise every submission not stored is affected
            for sid, assignment in jobs:
                if assignment == name and sid not in stored and student in (sid, "*", "?"):
                    out.problems.setdefault((sid, name), problem)


def export_csv(db_url: str, path: Path) -> Path:
    """Grades as nbgrader's own CSV exporter writes them (``nbgrader export``)."""
    plugin = CsvExportPlugin()
    plugin.to = str(path)
    with Gradebook(db_url) as gb:
        plugin.export(gb)
    return path


def summary(out: PipelineResult) -> str:
    """The score table and where each output is, for the terminal."""
    lines = ["", score_table.score_table(out.results), ""]
    for (student, assignment), problem in sorted(out.problems.items()):
        lines.append(f"not graded: {student}/{assignment}: {problem}")
    for (student, assignment), notes in sorted(out.notes.items()):
        lines += [f"unusual:    {student}/{assignment}: {note}" for note in notes]
    lines += [
        f"gradebook:  {out.db_url}",
        f"release:    {out.course_dir / 'release'}",
        f"autograded: {out.course_dir / 'autograded'}",
        f"feedback:   {out.feedback_dir}",
        f"grades CSV: {out.csv_path}",
        f"cell JSON:  {out.json_path}",
    ]
    return "\n".join(lines)


__all__ = ["GRADERS", "PipelineResult", "CourseError", "available_assignments", "export_csv",
           "nbgrader_api", "run_demo", "summary"]
