"""The class-report model: read back a gradebook with known scores, check every number."""
from __future__ import annotations

import sqlite3

import pytest
from gradebook_factory import CELLS, SCORES
from nbgrader.api import Gradebook

from autograder import class_report as cr


def test_reads_students_assignments_and_cells(course):
    _, db_url = course
    data = cr.read_gradebook(db_url)
    assert data.students == ("ada", "bob", "cyd", "dan")
    assert data.assignments == ("a1_lookup", "a2_linear")
    assert {(c.assignment, c.grade_id, c.max_score) for c in data.cells} == {
        (a, gid, pts) for a, cells in CELLS.items() for gid, pts in cells}
    assert data.max_score("a1_lookup") == 5.0 and data.max_score("a2_linear") == 4.0
    # One grade per submitted notebook and cell: ada 5, bob 5, cyd 3, dan 0.
    assert len(data.grades) == 13


def test_totals_agree_with_nbgrader_own_api(course):
    """An independent computation: nbgrader's ORM sums the same scores."""
    _, db_url = course
    totals = cr.student_totals(cr.read_gradebook(db_url))
    with Gradebook(db_url, course_id="embedding-lab") as gb:
        for assignment in ("a1_lookup", "a2_linear"):
            for student in SCORES:
                if assignment in SCORES[student]:
                    expected = gb.find_submission(assignment, student).score
                    assert totals[assignment][student] == pytest.approx(expected)
                else:
                    assert totals[assignment][student] is None


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
    got = {(g.student, g.assignment, g.grade_id): g.score for g in cr.read_gradebook(db_url).grades}
    assert got == pytest.approx(expected)
    assert got[("bob", "a1_lookup", "one_hot_errors")] == 0.5
    assert got[("cyd", "a1_lookup", "lookup_rows")] == 1.25


@pytest.mark.parametrize("auto, manual, extra, expected", [
    (None, None, None, 0.0), (2.0, None, None, 2.0), (2.0, 1.0, None, 1.0),
    (None, 1.0, 0.5, 1.5), (2.0, None, 0.5, 2.5), (0.0, 0.0, None, 0.0)])
def test_grade_score_rule(auto, manual, extra, expected):
    assert cr.grade_score(auto, manual, extra) == expected


def test_missing_sqlite_file_is_an_error_and_is_not_created(tmp_path):
    path = tmp_path / "nowhere" / "gradebook.db"
    with pytest.raises(cr.ClassReportError, match="no gradebook at"):
        cr.read_gradebook(f"sqlite:///{path}")
    assert not path.exists() and not path.parent.exists()


def test_a_database_that_is_not_a_gradebook_is_an_error_and_is_left_alone(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE grade (x INTEGER)")
    before = path.read_bytes()
    with pytest.raises(cr.ClassReportError, match="not an nbgrader gradebook"):
        cr.read_gradebook(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_an_unknown_database_driver_is_an_error():
    with pytest.raises(cr.ClassReportError, match="cannot open"):
        cr.read_gradebook("nosuchdriver://somewhere/db")


def test_histogram_bins_clamp_and_count_full_marks():
    bins = cr.histogram([0, 0.5, 1, 2.5, 5, 5, 6, -1], 5, bins=5)
    assert [(b.lo, b.hi) for b in bins] == [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]
    # -1 clamps to 0; 5 (full marks) and 6 (extra credit) land in the last bin.
    assert [b.count for b in bins] == [3, 1, 1, 0, 3]
    with pytest.raises(ValueError):
        cr.histogram([1], 5, bins=0)
    with pytest.raises(ValueError):
        cr.histogram([1], 0)


def test_assignment_summaries(course):
    summaries = {s.assignment: s for s in cr.assignment_summaries(cr.read_gradebook(course[1]), bins=5)}
    a1, a2 = summaries["a1_lookup"], summaries["a2_linear"]
    assert a1.scores == (1.0, 4.0, 5.0) and a1.missing == ("dan",)
    assert a1.mean == pytest.approx(10 / 3) and a1.median == 4.0
    assert [b.count for b in a1.bins] == [0, 1, 0, 0, 2]
    assert a2.scores == (1.0, 4.0) and a2.missing == ("cyd", "dan") and a2.max_score == 4.0


def test_cell_summaries(course):
    got = {(c.assignment, c.grade_id): (c.full, c.partial, c.zero)
           for c in cr.cell_summaries(cr.read_gradebook(course[1]))}
    assert got == {
        ("a1_lookup", "lookup_rows"): (2, 1, 0),
        ("a1_lookup", "one_hot_basic"): (2, 0, 1),
        ("a1_lookup", "one_hot_errors"): (1, 0, 2),
        ("a2_linear", "embedding_to_linear_basic"): (1, 0, 1),
        ("a2_linear", "linear_to_embedding_bias"): (2, 0, 0),
    }


def test_students_needing_help(course):
    flags = cr.students_needing_help(cr.read_gradebook(course[1]), threshold=0.6)
    assert [f.student for f in flags] == ["dan", "cyd", "bob"]          # lowest share first
    dan, cyd, bob = flags
    assert dan.share == 0 and dan.reasons == ("a1_lookup: not submitted", "a2_linear: not submitted")
    assert cyd.share == pytest.approx(1 / 9)
    assert cyd.reasons == ("a1_lookup: 20% of the points (4 of 5 lost)", "a2_linear: not submitted")
    assert cyd.weakest == ("a1_lookup.one_hot_basic", "a1_lookup.one_hot_errors")
    assert bob.share == pytest.approx(5 / 9) and bob.reasons == ("a2_linear: 25% of the points (3 of 4 lost)",)


def test_help_threshold_moves_the_line(course):
    data = cr.read_gradebook(course[1])
    assert [f.student for f in cr.students_needing_help(data, 0.0)] == ["dan", "cyd"]  # only missing work
    assert [f.student for f in cr.students_needing_help(data, 1.0)] == ["dan", "cyd", "bob"]
    with pytest.raises(ValueError, match="between 0 and 1"):
        cr.students_needing_help(data, 60)


def test_common_failures_are_counted_and_ranked():
    failures = [cr.Failure("s1", "a1", "x", "AssertionError: b"),
                cr.Failure("s2", "a1", "x", "AssertionError: b  "),
                cr.Failure("s2", "a1", "y", "AssertionError: a"),
                cr.Failure("s3", "a2", "z", "AssertionError: c"),
                cr.Failure("s3", "a2", "z", "   ")]
    top = cr.common_failures(failures)
    assert [(f.message, f.count) for f in top] == [
        ("AssertionError: b", 2), ("AssertionError: a", 1), ("AssertionError: c", 1)]
    assert top[0].students == ("s1", "s2") and top[0].grade_ids == ("a1.x",)
    assert len(cr.common_failures(failures, top=1)) == 1


def test_failures_come_from_the_autograded_notebooks(course):
    course_dir, db_url = course
    data = cr.read_gradebook(db_url)
    failures = cr.failures_from_autograded(data, course_dir)
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
    failures = cr.failures_from_autograded(cr.read_gradebook(db_url), course_dir)
    assert ("bob", "a1_lookup", "one_hot_errors") not in {(f.student, f.assignment, f.grade_id)
                                                          for f in failures}


def test_reading_does_not_import_nbgrader_in_a_fresh_interpreter(course):
    """The dashboard kernel stays lean: nbgrader's import costs ~55 MB."""
    import subprocess
    import sys

    code = ("import sys; from autograder import class_report as cr; "
            f"d = cr.read_gradebook({course[1]!r}); cr.failures_from_autograded(d, {str(course[0])!r}); "
            "print('nbgrader' in sys.modules, 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def _data(scores: dict[str, float], max_score: float = 31.0, failures=()) -> cr.ClassData:
    """One assignment, one cell per student score (enough for the help rule and the histogram)."""
    cells = (cr.GradedCell("a1", "a1", "all", max_score),)
    grades = tuple(cr.CellGrade(s, "a1", "a1", "all", v, max_score) for s, v in scores.items())
    return cr.ClassData(tuple(sorted(scores)), ("a1",), cells, grades, tuple(failures))


def test_the_default_rule_flags_a_student_who_lost_9_of_31_points():
    flags = cr.students_needing_help(_data({"ann": 31.0, "ben": 22.0, "cat": 29.0}))
    assert [(f.student, f.reasons) for f in flags] == [("ben", ("a1: 71% of the points (9 of 31 lost)",))]


def test_a_student_with_no_points_is_not_attempted_not_a_list_of_cells():
    data = _data({"ann": 0.0})
    (flag,) = cr.students_needing_help(data)
    assert flag.reasons == ("a1: 0 of 31 points (not attempted, or not gradable)",) and flag.weakest == ()


def test_untouched_cells_are_counted_apart_from_mistakes():
    cells = (cr.GradedCell("a1", "a1", "one_hot_basic", 2.0), cr.GradedCell("a1", "a1", "quiz_answer", 1.0))
    grades = (cr.CellGrade("ann", "a1", "a1", "one_hot_basic", 0.0, 2.0), cr.CellGrade("ann", "a1", "a1", "quiz_answer", 0.0, 1.0),
              cr.CellGrade("ben", "a1", "a1", "one_hot_basic", 0.0, 2.0), cr.CellGrade("ben", "a1", "a1", "quiz_answer", 1.0, 1.0))
    failures = (cr.Failure("ann", "a1", "one_hot_basic", "AssertionError: one_hot([1], 5) raised NotImplementedError: "),
                cr.Failure("ann", "a1", "quiz_answer", "AssertionError: `quiz_x` is not defined: run the cell that defines it (and keep its name)"),
                cr.Failure("ben", "a1", "one_hot_basic", "AssertionError: one_hot returned int64; the instructions ask for float32"))
    data = cr.ClassData(("ann", "ben"), ("a1",), cells, grades, failures)
    basic = cr.cell_summaries(data)[0]
    assert (basic.zero, basic.not_attempted, basic.submissions) == (1, 1, 2)
    assert [f.message for f in cr.common_failures(failures)] == [
        "AssertionError: one_hot returned int64; the instructions ask for float32"]
    ben = [f for f in cr.students_needing_help(data, 0.9) if f.student == "ben"][0]
    assert ben.weakest == ("a1.one_hot_basic",)


def test_histogram_of_whole_points_has_whole_number_bins():
    bins = cr.histogram([0, 22, 31, 31], 31)
    assert [(b.lo, b.hi) for b in bins] == [(0, 4), (4, 8), (8, 12), (12, 16), (16, 20), (20, 24), (24, 28), (28, 31)]
    assert [b.count for b in bins] == [1, 0, 0, 0, 0, 1, 0, 2]


def test_cells_follow_the_source_notebook(tmp_path):
    import json as _json
    (tmp_path / "source" / "a1").mkdir(parents=True)
    order = ["zeta_basic", "alpha_errors", "mid_cell"]
    nb = {"cells": [{"metadata": {"nbgrader": {"grade_id": g}}} for g in order]}
    (tmp_path / "source" / "a1" / "a1.ipynb").write_text(_json.dumps(nb))
    data = cr.ClassData((), ("a1",), tuple(cr.GradedCell("a1", "a1", g, 1.0) for g in sorted(order)), ())
    assert [c.grade_id for c in cr.in_notebook_order(data, tmp_path).cells] == order
