"""Read back what nbgrader stored: the gradebook's scores and the autograded notebooks' errors.

Scores come from nbgrader's gradebook (so manual overrides in the formgrader are
respected); failure messages come from the test cells' error outputs in
``autograded/`` (that is what nbgrader scored and what feedback shows). Nothing
here writes. :func:`read_gradebook` and :func:`with_failures` do not import nbgrader,
so the class-report dashboard kernel stays lean; the others use nbgrader's API.
"""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from autograder.results import CellScore, ClassData, SubmissionResult, SubmissionStatus, TestCell

if TYPE_CHECKING:
    from nbgrader.api import Gradebook


class GradebookError(Exception):
    """The gradebook cannot be read; the message says what to do."""


def failure_messages(notebook_path: Path) -> dict[str, str]:
    """``{grade_id: "ErrorName: message"}`` for every test cell that raised.

    Plain ``json`` rather than nbformat: autograded notebooks are nbgrader's own
    output, and the class-report dashboard kernel that calls this stays ~20 MB leaner.
    """
    try:
        nb = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
        cells = nb["cells"]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    failures = {}
    for cell in cells:
        if not isinstance(cell, dict):
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code" or not meta.get("grade"):
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                failures[meta["grade_id"]] = f"{out.get('ename')}: {out.get('evalue')}".strip()
                break
    return failures


def collect_results(course_dir: Path, db_url: str, problems: dict[tuple[str, str], str] | None = None,
                    students: list[str] | None = None) -> list[SubmissionResult]:
    """Every (student, assignment) pair of the gradebook, graded or not."""
    # Imported here: nbgrader loads its server extensions (~55 MB), which the class-report
    # dashboard kernel (it only uses failure_messages) should not pay for.
    from nbgrader.api import Gradebook

    problems = problems or {}
    results = []
    with Gradebook(db_url) as gb:
        student_ids = students or sorted(s.id for s in gb.students)
        for assignment in sorted(gb.assignments, key=lambda a: a.name):
            for student in student_ids:
                results.append(_one_result(gb, Path(course_dir), assignment, student, problems))
    return results


def _one_result(gb: Gradebook, course_dir: Path, assignment, student: str, problems) -> SubmissionResult:
    from nbgrader.api import MissingEntry

    problem = problems.get((student, assignment.name))
    try:
        submission = gb.find_submission(assignment.name, student)
    except MissingEntry:
        status: SubmissionStatus = "not graded" if problem else "missing"
        return SubmissionResult(student, assignment.name, status, 0.0, assignment.max_score, problem=problem)
    cells = []
    for nb in sorted(submission.notebooks, key=lambda n: n.name):
        path = course_dir / "autograded" / student / assignment.name / f"{nb.name}.ipynb"
        failures = failure_messages(path)
        for grade in sorted(nb.grades, key=lambda g: g.name):
            if grade.cell_type != "code":  # written answers are graded by hand, not here
                continue
            cells.append(CellScore(student, assignment.name, nb.name, grade.name, float(grade.score),
                                   float(grade.max_score), failures.get(grade.name)))
    outcome: SubmissionStatus = "not graded" if problem else "graded"
    return SubmissionResult(student, assignment.name, outcome, float(submission.score),
                            float(submission.max_score), cells, problem)


def stored_scores(db_url: str, assignment: str, students: list[str]) -> list[tuple[str, float, float]]:
    """``(student, score, max_score)`` as the gradebook now holds them (what feedback and export will show)."""
    from nbgrader.api import Gradebook, MissingEntry

    rows = []
    with Gradebook(db_url) as gb:
        for student in students:
            try:
                submission = gb.find_submission(assignment, student)
            except MissingEntry:
                continue
            rows.append((student, float(submission.score), float(submission.max_score)))
    return rows


# nbgrader's schema (nbgrader.api, unchanged since 0.6): a grade belongs to a graded
# cell (grade_cells -> base_cell -> notebook -> assignment) and to a submitted
# notebook (submitted_notebook -> submitted_assignment -> student).
_GRADES_SQL = """
SELECT sa.student_id, a.name, n.name, bc.name, gc.max_score,
       g.auto_score, g.manual_score, g.extra_credit
FROM grade g
JOIN grade_cells gc ON gc.id = g.cell_id
JOIN base_cell bc ON bc.id = gc.id
JOIN submitted_notebook sn ON sn.id = g.notebook_id
JOIN notebook n ON n.id = sn.notebook_id
JOIN submitted_assignment sa ON sa.id = sn.assignment_id
JOIN assignment a ON a.id = sa.assignment_id
"""
_CELLS_SQL = """
SELECT a.name, n.name, bc.name, gc.max_score
FROM grade_cells gc
JOIN base_cell bc ON bc.id = gc.id
JOIN notebook n ON n.id = bc.notebook_id
JOIN assignment a ON a.id = n.assignment_id
"""
_SUBMITTED_SQL = """
SELECT DISTINCT a.name FROM assignment a JOIN submitted_assignment sa ON sa.assignment_id = a.id
"""
_TABLES = {"student", "assignment", "notebook", "base_cell", "grade_cells",
           "submitted_assignment", "submitted_notebook", "grade"}


def grade_score(auto: float | None, manual: float | None, extra: float | None) -> float:
    """nbgrader's rule for a grade's score: the manual score if set, else the auto
    score, else 0; plus extra credit (``nbgrader.api.Grade.score``)."""
    base = manual if manual is not None else auto
    return 0.0 if base is None else float(base) + float(extra or 0.0)


def read_gradebook(db_url: str) -> ClassData:
    """Read every student, assignment and graded-cell score from an nbgrader gradebook.

    Plain SQLAlchemy on nbgrader's tables, read-only: ``nbgrader.api.Gradebook``
    would create missing tables (and a missing SQLite file), and importing
    nbgrader loads its server extensions, about 55 MB that a dashboard kernel
    does not need. Raises :class:`GradebookError` when the database does not
    exist or is not an nbgrader gradebook.
    """
    from sqlalchemy import create_engine, inspect, text
    from sqlalchemy.exc import SQLAlchemyError

    _refuse_missing_sqlite(db_url)
    shown = redacted_url(db_url)
    try:
        engine = create_engine(db_url)
    except (SQLAlchemyError, ValueError, ImportError) as err:
        raise GradebookError(f"cannot open the gradebook {shown!r}: {err}") from err
    try:
        with engine.connect() as conn:
            missing = _TABLES - set(inspect(conn).get_table_names())
            if missing:
                raise GradebookError(
                    f"{shown!r} is not an nbgrader gradebook (no table {', '.join(sorted(missing))}); "
                    "run the autograder first or pass the course's --db-url")
            students = tuple(sorted(row[0] for row in conn.execute(text("SELECT id FROM student"))))
            submitted = {row[0] for row in conn.execute(text(_SUBMITTED_SQL))}
            cells = tuple(sorted(
                (TestCell(a, nb, cell, float(points))
                 for a, nb, cell, points in conn.execute(text(_CELLS_SQL)) if a in submitted),
                key=lambda c: (c.assignment, c.notebook, c.grade_id)))
            scores = tuple(sorted(
                (CellScore(student, a, nb, cell, grade_score(auto, manual, extra), float(points))
                 for student, a, nb, cell, points, auto, manual, extra
                 in conn.execute(text(_GRADES_SQL))),
                key=lambda g: (g.assignment, g.notebook, g.grade_id, g.student)))
    except SQLAlchemyError as err:
        raise GradebookError(f"cannot read the gradebook {shown!r}: {err}") from err
    finally:
        engine.dispose()
    return ClassData(students, tuple(sorted(submitted)), cells, scores)


def redacted_url(db_url: str) -> str:
    """``db_url`` with any password replaced by ``***``: error messages end up on pages."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(db_url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return db_url.split("@", 1)[-1] if "@" in db_url else db_url


def _refuse_missing_sqlite(db_url: str) -> None:
    # SQLite would silently create an empty file; say where we looked instead.
    prefix = "sqlite:///"
    if db_url.startswith(prefix) and db_url[len(prefix):] not in ("", ":memory:"):
        path = Path(db_url[len(prefix):])
        if not path.is_file():
            raise GradebookError(
                f"no gradebook at {path}; grade first (embedding-lab grade or nbgrader autograde), or start "
                "`embedding-lab dashboards` inside the course directory or with --course-dir DIR (or --db-url URL)")


def with_failures(data: ClassData, course_dir: Path | str) -> ClassData:
    """The same snapshot with the failure message of every test cell that lost points,
    read from the course's ``autograded/`` notebooks (see :func:`failure_messages`).

    A notebook that was never autograded or cannot be read gives no messages.
    """
    autograded = Path(course_dir) / "autograded"
    lost = [s for s in data.scores if s.score < s.max_score]
    messages = {(student, assignment, notebook): failure_messages(autograded / student / assignment / f"{notebook}.ipynb")
                for student, assignment, notebook in sorted({(s.student, s.assignment, s.notebook) for s in lost})}
    scores = tuple(replace(s, failure=messages[(s.student, s.assignment, s.notebook)].get(s.grade_id))
                   if s.score < s.max_score else s for s in data.scores)
    return replace(data, scores=scores)


def in_notebook_order(data: ClassData, course_dir: Path | str) -> ClassData:
    """The same snapshot with each assignment's test cells in the order of its source notebook.

    The gradebook does not keep cell positions; ``source/<assignment>/<notebook>.ipynb``
    of the course does. Cells missing there (or a missing notebook) keep their place after them.
    """
    position: dict[tuple[str, str, str], int] = {}
    for assignment, notebook in {(c.assignment, c.notebook) for c in data.cells}:
        path = Path(course_dir) / "source" / assignment / f"{notebook}.ipynb"
        try:
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        for i, cell in enumerate(cells):
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") if isinstance(cell, dict) else None
            if grade_id:
                position[(assignment, notebook, grade_id)] = i
    ordered = tuple(sorted(data.cells, key=lambda c: (c.assignment, c.notebook,
                                                      position.get((c.assignment, c.notebook, c.grade_id), 10**9))))
    return replace(data, cells=ordered)
