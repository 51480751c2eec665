"""What a student reads about a notebook that could not be read, a cell that does not compile,
and an error raised inside another of their own functions: true of the submission, in the
autograded notebook (what the formgrader shows), the feedback HTML and the JSON report,
under `embedding-lab grade` and, for the cells, under stock `nbgrader autograde` too."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from adversarial import REFERENCE, filled
from autograder.examples.variants import variant_source
from autograder.gradebook_reader import failure_messages
from autograder.grading import Limits, grade_assignment
from autograder.pipeline import nbgrader_api
from autograder.submissions import write_submission
from grading_course import copy_course

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]

# build_vocab with one line indented two spaces too deep: line 8 of the cell.
INDENTED = REFERENCE["build_vocab"].replace("    for ch in text:", "      for ch in text:")
BUILD_VOCAB_CELLS = {"build_vocab_basic", "build_vocab_whitespace", "build_vocab_empty", "build_vocab_type_error"}
NOT_JSON = b'{"cells": [{"cell_type": "code", "source": "def build_vocab(text):'  # cut off mid-file


def submissions(course: Path, release) -> None:
    write_submission(course, "damaged", "a1_lookup", raw=NOT_JSON)
    write_submission(course, "indented", "a1_lookup", filled(release, build_vocab=INDENTED))
    write_submission(course, "helper", "a1_lookup", filled(
        release, one_hot=variant_source("a1_lookup", "one_hot", "wrong_int32_unsupported"),
        lookup_via_one_hot=variant_source("a1_lookup", "lookup_via_one_hot", "correct_uses_one_hot")))


@pytest.fixture(scope="module")
def hardened(a1_course, tmp_path_factory):
    course, release = a1_course
    course = copy_course(course, tmp_path_factory.mktemp("broken") / "course")
    submissions(course, release)
    run = grade_assignment(course, "a1_lookup", limits=Limits(timeout=20, memory_mb=1024), jobs=2)
    for student in ("damaged", "indented", "helper"):
        assert nbgrader_api(course).generate_feedback("a1_lookup", student, force=True)["success"]
    return course, run


@pytest.fixture(scope="module")
def stock(a1_course, tmp_path_factory):
    course, release = a1_course
    course = copy_course(course, tmp_path_factory.mktemp("broken-stock") / "course")
    submissions(course, release)
    api = nbgrader_api(course)
    for student in ("indented", "helper"):
        assert api.autograde("a1_lookup", student, force=True)["success"]
    return course


def failures(course: Path, student: str) -> dict[str, str]:
    return failure_messages(course / "autograded" / student / "a1_lookup" / "a1_lookup.ipynb")


def feedback_text(course: Path, student: str) -> str:
    page = (course / "feedback" / student / "a1_lookup" / "a1_lookup.html").read_text(encoding="utf-8")
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_a_notebook_that_could_not_be_read_says_so_in_every_test_cell(hardened):
    course, run = hardened
    got = failures(course, "damaged")
    assert len(got) == 26  # every test cell of a1 lost its points ...
    for message in got.values():  # ... and each says why, truly
        assert message == ("AssertionError: the notebook could not be read (NotJSONError), so nothing in it "
                           "was graded"), message
    text = feedback_text(course, "damaged")
    assert "is not defined" not in text and "run the cell" not in text
    assert "This notebook could not be graded" in text  # the notice above the cells
    damaged = next(g for g in run.graded if g.student == "damaged").to_dict()  # the JSON report's form
    assert set(damaged["verdicts"].values()) == {"the notebook could not be read (NotJSONError), so nothing in it "
                                                 "was graded"}


def test_a_cell_that_does_not_compile_is_named_with_its_error_and_line(hardened):
    course, _ = hardened
    got = failures(course, "indented")
    assert set(got) == BUILD_VOCAB_CELLS  # the other functions keep their points
    for grade_id, message in got.items():
        assert message == ("AssertionError: `build_vocab` is not defined: the cell that defines it does not compile "
                           "(IndentationError: unexpected indent, line 8), so it never ran; fix that cell"), grade_id
    assert "run the cell that defines it" not in feedback_text(course, "indented")


def test_an_error_inside_the_students_own_helper_names_the_helper(hardened):
    course, run = hardened
    got = failures(course, "helper")
    assert "inside your one_hot, which lookup_via_one_hot calls" in got["lookup_via_one_hot_index_types"]
    helper = next(g for g in run.graded if g.student == "helper")
    assert not [e for e in helper.events if e.kind == "tampering"], helper.events  # reading the traceback is the grader's


def test_stock_nbgrader_tells_the_same_about_the_cell_and_the_helper(stock):
    got = failures(stock, "indented")
    hidden_only = {"build_vocab_whitespace", "build_vocab_type_error"}  # no visible assert runs before the check
    for grade_id in hidden_only:
        assert got[grade_id] == ("AssertionError: `build_vocab` is not defined: the cell that defines it does not "
                                 "compile (IndentationError: unexpected indent, line 8), so it never ran; fix that "
                                 "cell"), grade_id
    assert "inside your one_hot, which lookup_via_one_hot calls" in failures(stock, "helper")[
        "lookup_via_one_hot_index_types"]
