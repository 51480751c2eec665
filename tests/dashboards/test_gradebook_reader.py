"""Reading a gradebook back: students, cells and scores as nbgrader holds them, failure
messages from the autograded notebooks, and a database that is not one."""
from __future__ import annotations

import sqlite3

import pytest
from gradebook_factory import CELLS
from nbgrader.api import Gradebook

from autograder.reporting import class_report as cr
from autograder.reporting import gradebook_reader as reader
from autograder.results import ClassData, TestCell


def test_reads_students_assignments_and_cells(course):
    _, db_url = course
    data = reader.read_gradebook(db_url)
    assert data.students == ("ada", "bob", "cyd", "dan")
    assert data.assignments == ("a1_lookup", "a2_linear")
    assert {(c.assignment, c.grade_id, c.max_score) for c in data.cells} == {
        (a, gid, pts) for a, cells in CELLS.items() for gid, pts in cells}
    assert data.max_score("a1_lookup") == 5.0 and data.max_score("a2_linear") == 4.0
    # One grade per submitted notebook and cell: ada 5, bob 5, cyd 3, dan 0.
    assert len(data.scores) == 13


def test_manual_scores_and_extra_credit_follow_nbgrader(course):
    _, db_url = course
    with Gradebook(db_url, course_id="embedding-lab") as gb:
        regraded = gb.find_grade("one_hot_errors", "a1_lookup", "a1_lookup", "bob")
        regraded.manual_score = 0.5                          # manual overrides auto (0)
        bonus = gb.find_grade("lookup_rows", "a1_lookup", "a1_lookup", "cyd")
        bonus.extra_credit = 0.25                            # added to the auto score (1)
        gb.db.commit()
        expected = {(g.student.id, g.assignment.name, g.name): g.score
                    for a in ("a1_lookup", "a2_linear") for s in gb.assignment_submissions(a)
                    for nb in s.notebooks for g in nb.grades}
    got = {(g.student, g.assignment, g.grade_id): g.score for g in reader.read_gradebook(db_url).scores}
    assert got == pytest.approx(expected)
    assert got[("bob", "a1_lookup", "one_hot_errors")] == 0.5
    assert got[("cyd", "a1_lookup", "lookup_rows")] == 1.25


@pytest.mark.parametrize("auto, manual, extra, expected", [
    (None, None, None, 0.0), (2.0, None, None, 2.0), (2.0, 1.0, None, 1.0),
    (None, 1.0, 0.5, 1.5), (2.0, None, 0.5, 2.5), (0.0, 0.0, None, 0.0)])
def test_grade_score_rule(auto, manual, extra, expected):
    assert reader.grade_score(auto, manual, extra) == expected


def test_missing_sqlite_file_is_an_error_and_is_not_created(tmp_path):
    path = tmp_path / "nowhere" / "gradebook.db"
    with pytest.raises(reader.GradebookError, match="no gradebook at"):
        reader.read_gradebook(f"sqlite:///{path}")
    assert not path.exists() and not path.parent.exists()


def test_a_database_that_is_not_a_gradebook_is_an_error_and_is_left_alone(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE grade (x INTEGER)")
    before = path.read_bytes()
    with pytest.raises(reader.GradebookError, match="not an nbgrader gradebook"):
        reader.read_gradebook(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_an_unknown_database_driver_is_an_error():
    with pytest.raises(reader.GradebookError, match="cannot open"):
        reader.read_gradebook("nosuchdriver://somewhere/db")


def test_failures_come_from_the_autograded_notebooks(course):
    course_dir, db_url = course
    data = reader.read_gradebook(db_url)
    failures = reader.with_failures(data, course_dir).failures
    assert {(f.student, f.assignment, f.grade_id) for f in failures} == {
        ("bob", "a1_lookup", "one_hot_errors"), ("cyd", "a1_lookup", "one_hot_errors"),
        ("cyd", "a1_lookup", "one_hot_basic"), ("cyd", "a1_lookup", "lookup_rows"),
        ("bob", "a2_linear", "embedding_to_linear_basic")}
    top = cr.common_failures(failures)
    assert (top[0].message, top[0].count) == ("AssertionError: one_hot([3], 3) should raise ValueError", 2)


def test_failures_of_cells_with_full_points_are_ignored(course):
    """A manual regrade to full points means the error no longer counts."""
    course_dir, db_url = course
    with Gradebook(db_url, course_id="embedding-lab") as gb:
        gb.find_grade("one_hot_errors", "a1_lookup", "a1_lookup", "bob").manual_score = 1.0
        gb.db.commit()
    failures = reader.with_failures(reader.read_gradebook(db_url), course_dir).failures
    assert ("bob", "a1_lookup", "one_hot_errors") not in {(f.student, f.assignment, f.grade_id)
                                                          for f in failures}


def test_reading_does_not_import_nbgrader_in_a_fresh_interpreter(course):
    """The dashboard kernel stays lean: nbgrader's import costs ~55 MB."""
    import subprocess
    import sys

    code = ("import sys; from autograder.reporting import class_report, gradebook_reader as reader; "
            f"d = reader.read_gradebook({course[1]!r}); reader.with_failures(d, {str(course[0])!r}); "
            "print('nbgrader' in sys.modules, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_cells_follow_the_source_notebook(tmp_path):
    import json as _json
    (tmp_path / "source" / "a1").mkdir(parents=True)
    order = ["zeta_basic", "alpha_errors", "mid_cell"]
    nb = {"cells": [{"metadata": {"nbgrader": {"grade_id": g}}} for g in order]}
    (tmp_path / "source" / "a1" / "a1.ipynb").write_text(_json.dumps(nb))
    data = ClassData((), ("a1",), tuple(TestCell("a1", "a1", g, 1.0) for g in sorted(order)), ())
    assert [c.grade_id for c in reader.in_notebook_order(data, tmp_path).cells] == order

