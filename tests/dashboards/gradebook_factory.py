"""Small nbgrader gradebooks with known scores, built with nbgrader's own API.

The class-report tests (model and browser) read these back and expect the exact
numbers written here.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from nbgrader.api import Gradebook

# assignment -> graded cells (grade_id, points); one notebook per assignment, named like it.
CELLS = {
    "a1_lookup": [("one_hot_basic", 2.0), ("one_hot_errors", 1.0), ("lookup_rows", 2.0)],
    "a2_linear": [("embedding_to_linear_basic", 3.0), ("linear_to_embedding_bias", 1.0)],
}
# student -> assignment -> grade_id -> auto score; an absent assignment is not submitted.
SCORES = {
    "ada": {"a1_lookup": {"one_hot_basic": 2, "one_hot_errors": 1, "lookup_rows": 2},
            "a2_linear": {"embedding_to_linear_basic": 3, "linear_to_embedding_bias": 1}},
    "bob": {"a1_lookup": {"one_hot_basic": 2, "one_hot_errors": 0, "lookup_rows": 2},
            "a2_linear": {"embedding_to_linear_basic": 0, "linear_to_embedding_bias": 1}},
    "cyd": {"a1_lookup": {"one_hot_basic": 0, "one_hot_errors": 0, "lookup_rows": 1}},
    "dan": {},
}


def build_gradebook(path: Path, cells=CELLS, scores=SCORES) -> str:
    """Write a gradebook at ``path`` and return its ``sqlite:///`` URL."""
    db_url = f"sqlite:///{path}"
    # A new gradebook asks the `alembic` script for its schema version; it sits
    # next to this interpreter, which need not be on PATH (venv not activated).
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    with Gradebook(db_url, course_id="embedding-lab") as gb:
        for assignment, graded in cells.items():
            gb.add_assignment(assignment)
            gb.add_notebook(assignment, assignment)
            for grade_id, points in graded:
                gb.add_grade_cell(grade_id, assignment, assignment,
                                  max_score=points, cell_type="code")
        for student, submitted in scores.items():
            gb.add_student(student)
            for assignment, per_cell in submitted.items():
                gb.add_submission(assignment, student)
                for grade_id, score in per_cell.items():
                    grade = gb.find_grade(grade_id, assignment, assignment, student)
                    grade.auto_score = float(score)
                gb.db.commit()
    return db_url


# (student, assignment, grade_id) -> the error the test cell raised in the autograded notebook.
FAILURES = {
    ("bob", "a1_lookup", "one_hot_errors"): "AssertionError: one_hot([3], 3) should raise ValueError",
    ("cyd", "a1_lookup", "one_hot_errors"): "AssertionError: one_hot([3], 3) should raise ValueError",
    ("cyd", "a1_lookup", "one_hot_basic"): "AssertionError: one_hot returned int64; the instructions ask for float32",
    ("cyd", "a1_lookup", "lookup_rows"): "AssertionError: lookup lost the gradient",
    ("bob", "a2_linear", "embedding_to_linear_basic"): "AssertionError: the weight must be embedding.weight.T",
}


def write_autograded(course_dir: Path, cells=CELLS, scores=SCORES, failures=FAILURES) -> None:
    """Autograded notebooks as nbgrader leaves them: test cells, failing ones with an error output."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    for student, submitted in scores.items():
        for assignment in submitted:
            nb = new_notebook()
            for grade_id, points in cells[assignment]:
                cell = new_code_cell(f"# {grade_id}\nassert True", metadata={"nbgrader": {
                    "grade": True, "solution": False, "locked": True, "points": points,
                    "grade_id": grade_id, "schema_version": 3}})
                message = failures.get((student, assignment, grade_id))
                if message:
                    ename, evalue = message.split(": ", 1)
                    cell.outputs = [new_output("error", ename=ename, evalue=evalue,
                                               traceback=["Traceback (most recent call last): ...", message])]
                nb.cells.append(cell)
            path = course_dir / "autograded" / student / assignment / f"{assignment}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, path)
