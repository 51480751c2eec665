"""Read grading results back out of nbgrader, and render them.

Scores come from nbgrader's gradebook (so manual overrides in the formgrader are
respected); failure messages come from the test cells' error outputs in
``autograded/`` (that is what nbgrader scored and what feedback shows).
"""
from __future__ import annotations

import json
from pathlib import Path

from .results import CellResult, SubmissionResult


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
        status = "not graded" if problem else "missing"
        return SubmissionResult(student, assignment.name, status, 0.0, assignment.max_score, problem=problem)
    cells = []
    for nb in sorted(submission.notebooks, key=lambda n: n.name):
        path = course_dir / "autograded" / student / assignment.name / f"{nb.name}.ipynb"
        failures = failure_messages(path)
        for grade in sorted(nb.grades, key=lambda g: g.name):
            if grade.cell_type != "code":  # written answers are graded by hand, not here
                continue
            cells.append(CellResult(nb.name, grade.name, float(grade.score), float(grade.max_score),
                                    failures.get(grade.name)))
    status = "not graded" if problem else "graded"
    return SubmissionResult(student, assignment.name, status, float(submission.score),
                            float(submission.max_score), cells, problem)


def write_json(results: list[SubmissionResult], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([r.to_dict() for r in results], indent=1, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


def score_table(results: list[SubmissionResult]) -> str:
    """A plain-text table: one row per student, one column per assignment.

    A missing submission shows as ``-`` and counts as 0 of its points in the total,
    as does one that could not be graded (``error``).
    """
    students = sorted({r.student for r in results})
    assignments = sorted({r.assignment for r in results})
    by_key = {(r.student, r.assignment): r for r in results}
    header = ["student", *assignments, "total"]
    rows = [header]
    for student in students:
        row, got, out_of = [student], 0.0, 0.0
        for a in assignments:
            r = by_key.get((student, a))
            if r is None or r.status == "missing":
                row.append("-")
                out_of += r.max_score if r is not None else 0.0
                continue
            if r.status != "graded":
                row.append("error")
                out_of += r.max_score
                continue
            row.append(f"{_num(r.score)}/{_num(r.max_score)}")
            got += r.score
            out_of += r.max_score
        row.append(f"{_num(got)}/{_num(out_of)}")
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths)))
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _num(x: float) -> str:
    return f"{x:g}"
