"""The pipeline's pieces on a tiny assignment: gradebook location, errors, the score table."""
from __future__ import annotations

import pytest

from autograder.demo_submissions import DemoStudent
from autograder.pipeline import one_line, run_demo
from autograder.reporting.score_table import score_table
from autograder.results import SubmissionResult


@pytest.mark.slow
@pytest.mark.parametrize("grader", ["embedding-lab", "nbgrader"])
def test_db_url_puts_the_gradebook_elsewhere(tmp_path, tiny_assignments, grader):
    db = tmp_path / "elsewhere" / "grades.db"
    db.parent.mkdir()
    students = [DemoStudent("alice", "reference", "reference"), DemoStudent("carol", "untouched", "release")]
    out = run_demo(tmp_path / "course", db_url=f"sqlite:///{db}", students=students,
                   assignments_dir=tiny_assignments, echo=lambda _: None, progress=False, grader=grader)
    assert db.is_file() and not (tmp_path / "course" / "gradebook.db").exists()
    scores = {r.student: (r.score, r.max_score) for r in out.results}
    assert scores == {"alice": (3.0, 3.0), "carol": (0.0, 3.0)}


def test_one_line_finds_the_innermost_exception():
    log = ("[ERROR] There was an error processing assignment\n"
           "    Traceback (most recent call last):\n"
           "    nbformat.reader.NotJSONError: Notebook does not appear to be JSON: '{'\n"
           "[ERROR] Please see the the above traceback\n")
    error = "Traceback...\nnbgrader.converters.base.NbGraderException: Please see the above"
    assert one_line({"log": log, "error": error}) == "NotJSONError: Notebook does not appear to be JSON: '{'"
    assert one_line({"log": "[ERROR] No notebooks were matched by 'x'\n"}) == "No notebooks were matched by 'x'"
    assert one_line({}) == "nbgrader reported a failure without a message"


def test_score_table_has_a_row_per_student_and_marks_problems():
    results = [
        SubmissionResult("ann", "a1_lookup", "graded", 3.0, 4.0),
        SubmissionResult("ann", "a2_linear", "missing", 0.0, 5.0),
        SubmissionResult("ben", "a1_lookup", "not graded", 0.0, 4.0, problem="NotJSONError: ..."),
        SubmissionResult("ben", "a2_linear", "graded", 5.0, 5.0),
    ]
    lines = score_table(results).splitlines()
    assert lines[0].split() == ["student", "a1_lookup", "a2_linear", "total"]
    assert lines[2].split() == ["ann", "3/4", "-", "3/9"]  # a missing assignment counts as 0 of its points
    assert lines[3].split() == ["ben", "error", "5/5", "5/9"]


def test_failure_messages_reads_test_cell_errors_and_survives_damage(tmp_path):
    from autograder.reporting.gradebook_reader import failure_messages

    import nbformat

    from tiny_course import tiny_notebook

    nb = tiny_notebook()
    nb.cells[2].outputs = [nbformat.v4.new_output("error", ename="AssertionError", evalue="one_hot returned int64",
                                                  traceback=[])]
    nb.cells[3].outputs = [nbformat.v4.new_output("stream", name="stdout", text="fine\n")]
    path = tmp_path / "graded.ipynb"
    nbformat.write(nb, path)
    assert failure_messages(path) == {"build_vocab_basic": "AssertionError: one_hot returned int64"}
    path.write_text("{ not json")
    assert failure_messages(path) == {}
    assert failure_messages(tmp_path / "missing.ipynb") == {}
