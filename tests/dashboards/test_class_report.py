"""The class-report model: summaries of a gradebook with known scores, every number checked."""
from __future__ import annotations

import pytest
from gradebook_factory import SCORES
from nbgrader.api import Gradebook

from autograder import class_report as cr
from autograder import gradebook_reader as reader
from autograder.results import CellScore, ClassData, TestCell


def test_totals_agree_with_nbgrader_own_api(course):
    """An independent computation: nbgrader's ORM sums the same scores."""
    _, db_url = course
    totals = cr.student_totals(reader.read_gradebook(db_url))
    with Gradebook(db_url, course_id="embedding-lab") as gb:
        for assignment in ("a1_lookup", "a2_linear"):
            for student in SCORES:
                if assignment in SCORES[student]:
                    expected = gb.find_submission(assignment, student).score
                    assert totals[assignment][student] == pytest.approx(expected)
                else:
                    assert totals[assignment][student] is None


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
    summaries = {s.assignment: s for s in cr.assignment_summaries(reader.read_gradebook(course[1]), bins=5)}
    a1, a2 = summaries["a1_lookup"], summaries["a2_linear"]
    assert a1.scores == (1.0, 4.0, 5.0) and a1.missing == ("dan",)
    assert a1.mean == pytest.approx(10 / 3) and a1.median == 4.0
    assert [b.count for b in a1.bins] == [0, 1, 0, 0, 2]
    assert a2.scores == (1.0, 4.0) and a2.missing == ("cyd", "dan") and a2.max_score == 4.0


def test_cell_summaries(course):
    got = {(c.assignment, c.grade_id): (c.full, c.partial, c.zero)
           for c in cr.cell_summaries(reader.read_gradebook(course[1]))}
    assert got == {
        ("a1_lookup", "lookup_rows"): (2, 1, 0),
        ("a1_lookup", "one_hot_basic"): (2, 0, 1),
        ("a1_lookup", "one_hot_errors"): (1, 0, 2),
        ("a2_linear", "embedding_to_linear_basic"): (1, 0, 1),
        ("a2_linear", "linear_to_embedding_bias"): (2, 0, 0),
    }


def test_students_needing_help(course):
    flags = cr.students_needing_help(reader.read_gradebook(course[1]), threshold=0.6)
    assert [f.student for f in flags] == ["dan", "cyd", "bob"]          # lowest share first
    dan, cyd, bob = flags
    assert dan.share == 0 and dan.reasons == ("a1_lookup: not submitted", "a2_linear: not submitted")
    assert cyd.share == pytest.approx(1 / 9)
    assert cyd.reasons == ("a1_lookup: 20% of the points (4 of 5 lost)", "a2_linear: not submitted")
    assert cyd.weakest == ("a1_lookup.one_hot_basic", "a1_lookup.one_hot_errors")
    assert bob.share == pytest.approx(5 / 9) and bob.reasons == ("a2_linear: 25% of the points (3 of 4 lost)",)


def test_help_threshold_moves_the_line(course):
    data = reader.read_gradebook(course[1])
    assert [f.student for f in cr.students_needing_help(data, 0.0)] == ["dan", "cyd"]  # only missing work
    assert [f.student for f in cr.students_needing_help(data, 1.0)] == ["dan", "cyd", "bob"]
    with pytest.raises(ValueError, match="between 0 and 1"):
        cr.students_needing_help(data, 60)


def test_common_failures_are_counted_and_ranked():
    failures = [_failed("s1", "a1", "x", "AssertionError: b"),
                _failed("s2", "a1", "x", "AssertionError: b  "),
                _failed("s2", "a1", "y", "AssertionError: a"),
                _failed("s3", "a2", "z", "AssertionError: c"),
                _failed("s3", "a2", "z", "   ")]
    top = cr.common_failures(failures)
    assert [(f.message, f.count) for f in top] == [
        ("AssertionError: b", 2), ("AssertionError: a", 1), ("AssertionError: c", 1)]
    assert top[0].students == ("s1", "s2") and top[0].grade_ids == ("a1.x",)
    assert len(cr.common_failures(failures, top=1)) == 1


def _data(scores: dict[str, float], max_score: float = 31.0) -> ClassData:
    """One assignment, one cell per student score (enough for the help rule and the histogram)."""
    cells = (TestCell("a1", "a1", "all", max_score),)
    grades = tuple(CellScore(s, "a1", "a1", "all", v, max_score) for s, v in scores.items())
    return ClassData(tuple(sorted(scores)), ("a1",), cells, grades)


def _failed(student: str, assignment: str, grade_id: str, message: str) -> CellScore:
    """A test cell that scored 0 of 1 with ``message``, as ``with_failures`` reads it."""
    return CellScore(student, assignment, assignment, grade_id, 0.0, 1.0, message)


def test_the_default_rule_flags_a_student_who_lost_9_of_31_points():
    flags = cr.students_needing_help(_data({"ann": 31.0, "ben": 22.0, "cat": 29.0}))
    assert [(f.student, f.reasons) for f in flags] == [("ben", ("a1: 71% of the points (9 of 31 lost)",))]


def test_a_student_with_no_points_is_not_attempted_not_a_list_of_cells():
    data = _data({"ann": 0.0})
    (flag,) = cr.students_needing_help(data)
    assert flag.reasons == ("a1: 0 of 31 points (not attempted, or not gradable)",) and flag.weakest == ()


def test_untouched_cells_are_counted_apart_from_mistakes():
    cells = (TestCell("a1", "a1", "one_hot_basic", 2.0), TestCell("a1", "a1", "quiz_answer", 1.0))
    scores = (
        CellScore("ann", "a1", "a1", "one_hot_basic", 0.0, 2.0,
                  "AssertionError: one_hot([1], 5) raised NotImplementedError: "),
        CellScore("ann", "a1", "a1", "quiz_answer", 0.0, 1.0,
                  "AssertionError: `quiz_x` is not defined: run the cell that defines it (and keep its name)"),
        CellScore("ben", "a1", "a1", "one_hot_basic", 0.0, 2.0,
                  "AssertionError: one_hot returned int64; the instructions ask for float32"),
        CellScore("ben", "a1", "a1", "quiz_answer", 1.0, 1.0))
    data = ClassData(("ann", "ben"), ("a1",), cells, scores)
    basic = cr.cell_summaries(data)[0]
    assert (basic.zero, basic.not_attempted, basic.submissions) == (1, 1, 2)
    assert [f.message for f in cr.common_failures(data.failures)] == [
        "AssertionError: one_hot returned int64; the instructions ask for float32"]
    ben = [f for f in cr.students_needing_help(data, 0.9) if f.student == "ben"][0]
    assert ben.weakest == ("a1.one_hot_basic",)


def test_histogram_of_whole_points_has_whole_number_bins():
    bins = cr.histogram([0, 22, 31, 31], 31)
    assert [(b.lo, b.hi) for b in bins] == [(0, 4), (4, 8), (8, 12), (12, 16), (16, 20), (20, 24), (24, 28), (28, 31)]
    assert [b.count for b in bins] == [1, 0, 0, 0, 0, 1, 0, 2]




NOT_READ = "AssertionError: the notebook could not be read (NotJSONError), so nothing in it was graded"


def _three_kinds_of_zero() -> ClassData:
    """ann's notebook could not be read, ben left his untouched, cat made a mistake; dot is right."""
    cells = (TestCell("a1", "a1", "one_hot_basic", 2.0), TestCell("a1", "a1", "quiz_answer", 1.0))
    scores = (
        CellScore("ann", "a1", "a1", "one_hot_basic", 0.0, 2.0, NOT_READ),
        CellScore("ann", "a1", "a1", "quiz_answer", 0.0, 1.0, NOT_READ),
        CellScore("ben", "a1", "a1", "one_hot_basic", 0.0, 2.0,
                  "AssertionError: one_hot([1], 5) raised NotImplementedError: "),
        CellScore("ben", "a1", "a1", "quiz_answer", 0.0, 1.0,
                  "AssertionError: `quiz_x` is not defined: run the cell that defines it (and keep its name)"),
        CellScore("cat", "a1", "a1", "one_hot_basic", 0.0, 2.0,
                  "AssertionError: one_hot returned int64; the instructions ask for float32"),
        CellScore("cat", "a1", "a1", "quiz_answer", 1.0, 1.0),
        CellScore("dot", "a1", "a1", "one_hot_basic", 2.0, 2.0),
        CellScore("dot", "a1", "a1", "quiz_answer", 1.0, 1.0))
    return ClassData(("ann", "ben", "cat", "dot"), ("a1",), cells, scores)


def test_a_notebook_that_could_not_be_graded_is_kept_apart_from_work_not_attempted():
    data = _three_kinds_of_zero()
    basic = cr.cell_summaries(data)[0]
    assert (basic.full, basic.zero, basic.not_attempted, basic.not_graded, basic.submissions) == (1, 1, 1, 1, 4)
    assert [f.message for f in cr.common_failures(data.failures)] == [
        "AssertionError: one_hot returned int64; the instructions ask for float32"]
    assert cr.not_graded_notebooks(data) == [("ann", "a1", NOT_READ.removeprefix("AssertionError: "))]
    flags = {f.student: f.reasons for f in cr.students_needing_help(data)}
    assert flags["ann"] == ("a1: could not be graded (the notebook could not be read (NotJSONError), so nothing "
                            "in it was graded)",)
    assert flags["ben"] == ("a1: 0 of 3 points (not attempted)",)


def test_every_failure_message_is_listed_unless_a_top_is_asked_for():
    failures = [_failed(f"s{i}", "a1", f"cell{i}", f"AssertionError: mistake {i:02d}") for i in range(23)]
    assert len(cr.common_failures(failures)) == 23
    assert [f.message for f in cr.common_failures(failures, top=2)] == [
        "AssertionError: mistake 00", "AssertionError: mistake 01"]
