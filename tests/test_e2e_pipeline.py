"""The main job end to end, on the bundled course, in a temporary directory.

Runs ``embedding-lab demo`` (nbgrader's API, autograding by ``embedding-lab grade``)
on every bundled assignment and holds it to what each example student must score.
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.checks import ASSIGNMENTS as REGISTERED
from autograder.course import available_assignments
from autograder.demo_submissions import HERE as DEMO_DIR
from variants.demo_bob import EXPECTED_FAILURES as BOB_FAILS
from autograder.pipeline import run_demo
from autograder.submissions import sources_from_file

pytestmark = [pytest.mark.slow]
REPO = Path(__file__).resolve().parent.parent
ASSIGNMENTS = available_assignments()  # every one registered (test_every_assignment_folder_is_registered)
ECHOED: list[str] = []


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    course = tmp_path_factory.mktemp("demo") / "course"
    return run_demo(course, echo=ECHOED.append, progress=False)


def test_every_bundled_assignment_is_graded(demo):
    assert ASSIGNMENTS == list(REGISTERED) and {r.assignment for r in demo.results} == set(ASSIGNMENTS)


def _by(results, student):
    return {r.assignment: r for r in results if r.student == student}


def _test_cells(assignment: str) -> dict[str, float]:
    nb = nbformat.read(REPO / "assignments" / assignment / f"{assignment}.ipynb", as_version=4)
    cells = [c.metadata.nbgrader for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    return {m["grade_id"]: float(m["points"]) for m in cells}


def test_every_bundled_assignment_is_generated_and_graded(demo):
    assert ASSIGNMENTS and ASSIGNMENTS[0] == "a1_lookup"
    assert not demo.assignment_errors
    for a in ASSIGNMENTS:
        assert (demo.course_dir / "release" / a / f"{a}.ipynb").is_file()


def test_reference_solutions_get_full_marks(demo):
    alice = _by(demo.results, "alice")
    assert set(alice) == set(ASSIGNMENTS)
    for a, r in alice.items():
        assert r.status == "graded" and r.max_score == sum(_test_cells(a).values()) > 0
        assert r.score == r.max_score, [c for c in r.cells if c.score < c.max_score]
        assert all(c.failure is None for c in r.cells)


def test_untouched_student_version_scores_zero_on_every_cell(demo):
    for a, r in _by(demo.results, "carol").items():
        assert r.status == "graded", r.problem
        assert {c.grade_id for c in r.cells} == set(_test_cells(a))
        assert all(c.score == 0 for c in r.cells)
        # Every cell says why: a function stub raises NotImplementedError, which the checks
        # report; an answer cell left as a stub never defines its variable, which the
        # hardened grader words as "`quiz_...` is not defined: run the cell that defines it".
        assert all(c.failure and ("NotImplementedError" in c.failure or "is not defined" in c.failure)
                   for c in r.cells), [c.failure for c in r.cells]


def test_partly_wrong_example_gets_exactly_its_known_score(demo):
    bob = _by(demo.results, "bob")
    handed_in = sorted(p.stem for p in (DEMO_DIR / "bob").glob("a*.py") if p.stem in ASSIGNMENTS)
    assert "a1_lookup" in handed_in and all(bob[a].status == "graded" for a in handed_in)
    for a in handed_in:
        expected = BOB_FAILS[a]
        points = _test_cells(a)
        failed = {c.grade_id for c in bob[a].cells if c.score < c.max_score}
        assert failed == expected
        assert bob[a].score == sum(points.values()) - sum(points[g] for g in expected)
        # Every lost point is explained in words (no bare "AssertionError:").
        for c in bob[a].cells:
            if c.grade_id in expected:
                assert c.failure.startswith("AssertionError: ") and len(c.failure) > 30, (a, c.grade_id, c.failure)
    for a in set(ASSIGNMENTS) - set(handed_in):
        assert bob[a].status == "missing"


def test_a_broken_notebook_is_reported_and_the_rest_carry_on(demo):
    dave = _by(demo.results, "dave")
    # embedding-lab grade grades a notebook it cannot read as empty (0 points) and says why
    assert dave["a1_lookup"].status == "graded" and dave["a1_lookup"].score == 0
    assert any("NotJSONError" in note for note in demo.notes[("dave", "a1_lookup")])
    assert set(demo.notes) == {("dave", "a1_lookup")}, demo.notes  # nothing else unusual
    for a in set(ASSIGNMENTS) - {"a1_lookup"}:
        assert dave[a].score == dave[a].max_score


def test_the_class_report_shows_every_failure_message_and_keeps_the_unreadable_notebook_apart(demo):
    import html

    from autograder.reporting import gradebook_reader
    from autograder.dashboards.class_report_view import ClassReportView, readable_message

    view = ClassReportView(demo.db_url, demo.course_dir)
    page = html.unescape(view.failures_view.value)
    data = gradebook_reader.with_failures(gradebook_reader.read_gradebook(demo.db_url), demo.course_dir)
    bobs = {f.failure for f in data.failures if f.student == "bob"}
    assert len(bobs) > 10  # more than the first ten: some are folded under "N more"
    assert "more failure messages</summary>" in page
    for message in bobs:
        assert readable_message(message) in page, message
    not_graded = re.search(r'class="el-note el-not-graded"[^>]*>(.*?)</div>', page).group(1)
    not_attempted = re.search(r'class="el-note el-not-attempted"[^>]*>(.*?)</div>', page).group(1)
    assert "dave's a1_lookup: the notebook could not be read (NotJSONError)" in not_graded
    assert "carol" in not_attempted and "dave" not in not_attempted
    help_rows = html.unescape(view.help_view.value)
    assert "a1_lookup: could not be graded (the notebook could not be read (NotJSONError)" in help_rows
    assert "a1_lookup: 0 of 31 points (not attempted)" in help_rows  # carol's


def test_csv_and_json_agree_with_the_gradebook(demo):
    rows = list(csv.DictReader(demo.csv_path.open()))
    data = json.loads(demo.json_path.read_text())
    json_scores = {(d["student"], d["assignment"]): d for d in data}
    with Gradebook(demo.db_url) as gb:
        for row in rows:
            key = (row["student_id"], row["assignment"])
            try:
                expected = gb.find_submission(row["assignment"], row["student_id"]).score
            except Exception:
                expected = 0.0
            assert float(row["score"]) == pytest.approx(expected)
            if key in json_scores and json_scores[key]["status"] == "graded":
                entry = json_scores[key]
                assert entry["score"] == pytest.approx(expected)
                assert sum(c["score"] for c in entry["cells"]) == pytest.approx(expected)
                for c in entry["cells"]:
                    grade = gb.find_grade(c["grade_id"], c["notebook"], row["assignment"], row["student_id"])
                    assert c["score"] == grade.score and c["max_score"] == grade.max_score
                    assert (c["failure"] is None) == (grade.score == grade.max_score)
    assert len(rows) == len(ASSIGNMENTS) * 4


def test_feedback_html_is_generated_for_every_graded_submission(demo):
    for r in demo.results:
        html = demo.course_dir / "feedback" / r.student / r.assignment / f"{r.assignment}.html"
        assert html.is_file() == (r.status == "graded"), html
    bob = (demo.course_dir / "feedback" / "bob" / "a1_lookup" / "a1_lookup.html").read_text()
    assert "should raise ValueError" in bob  # the worded failure reaches the student


def test_release_has_no_solutions_hidden_tests_or_quiz_keys(demo):
    for a in ASSIGNMENTS:
        release = nbformat.read(demo.course_dir / "release" / a / f"{a}.ipynb", as_version=4)
        text = "\n".join(cell.source for cell in release.cells)
        source_nb = nbformat.read(REPO / "assignments" / a / f"{a}.ipynb", as_version=4)
        source_flat = " ".join(ln.strip() for c in source_nb.cells for ln in c.source.splitlines())
        found_in_source = 0
        for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "run_check", "autograder"):
            assert marker not in text, (a, marker)
        reference = sources_from_file(REPO / "autograder" / "reference" / f"{a}.py")
        for name, source in reference.items():
            if name.startswith("quiz_"):
                key = re.search(r"=\s*(['\"]\w+['\"])", source).group(0)
                assert f"{name} {key}" not in text and f"{name}{key}" not in text
            else:
                # Teaching text may show a line of the idea (e.g. copying W.T into a Linear);
                # what must never appear is the solution itself: three of its lines in a row.
                body = [ln.strip() for ln in source.splitlines() if ln.startswith("    ") and ln.strip()
                        and not ln.strip().startswith(("#", '"'))]
                flat = " ".join(ln.strip() for ln in text.splitlines())
                windows = [" ".join(body[i:i + 3]) for i in range(len(body) - 2)]
                leaked = [w for w in windows if w in flat]
                assert not leaked, (a, name, leaked)
                found_in_source += any(w in source_flat for w in windows)
        assert found_in_source, f"the detector finds no solution even in {a}'s source notebook"


def test_running_the_demo_again_gives_the_same_result(demo):
    again = run_demo(demo.course_dir, echo=lambda _: None, progress=False)
    assert [r.to_dict() for r in again.results] == [r.to_dict() for r in demo.results]
    assert json.loads(again.json_path.read_text()) == [r.to_dict() for r in demo.results]
