"""`embedding-lab grade` from the command line, then nbgrader's feedback, export and formgrader data."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from adversarial import CASES, FULL, write_cases
from grading_course import copy_course

pytestmark = [pytest.mark.slow]
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
CHOSEN = [c for c in CASES if c.student in ("honest_correct", "honest_wrong_one_hot", "renamed_grade_id")]


def run(course: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*args], cwd=course, env=ENV, capture_output=True, text=True)


@pytest.fixture(scope="module")
def course(a1_course, tmp_path_factory):
    course, release = a1_course
    course = copy_course(course, tmp_path_factory.mktemp("cli") / "course")
    write_cases(course, release, CHOSEN)
    first = run(course, str(BIN / "embedding-lab"), "grade", "a1_lookup", "--jobs", "2")
    again = run(course, str(BIN / "embedding-lab"), "grade", "a1_lookup")
    forced = run(course, str(BIN / "embedding-lab"), "grade", "a1_lookup", "--student", "renamed_grade_id",
                 "--force", "--no-progress")
    return course, first, again, forced


def test_cli_grades_reports_progress_and_writes_the_json_report(course):
    course, first, _, _ = course
    assert first.returncode == 0, first.stderr
    assert "graded 3 submission(s)" in first.stdout
    assert "3/3" in first.stderr  # the tqdm bar, with rate and ETA
    # the scores it stored, one line per student, as the gradebook holds them
    stored = first.stdout.split("scores stored in the gradebook:\n", 1)[1].splitlines()
    assert {line.split()[0]: line.split()[1] for line in stored if line.startswith("  ")} == {
        c.student: f"{c.expected:g}/{FULL:g}" for c in CHOSEN}
    report = json.loads((course / "grading-report-a1_lookup.json").read_text())
    by_student = {s["student"]: s for s in report["submissions"]}
    assert by_student["honest_wrong_one_hot"]["verdicts"]["one_hot_dtype"].startswith("one_hot returned int64")
    assert by_student["renamed_grade_id"]["events"][0]["kind"] == "repair"


def test_cli_skips_graded_submissions_unless_forced(course):
    _, _, again, forced = course
    assert again.returncode == 0 and "skipped 3 already autograded" in again.stdout
    assert forced.returncode == 0 and "graded 1 submission(s)" in forced.stdout


def test_feedback_export_and_formgrader_data_work_after_grading(course):
    course, *_ = course
    feedback = run(course, str(BIN / "nbgrader"), "generate_feedback", "a1_lookup")
    assert feedback.returncode == 0, feedback.stdout + feedback.stderr
    assert "not recognized" not in feedback.stdout + feedback.stderr  # nbgrader's display_data_priority warning
    html = (course / "feedback" / "honest_wrong_one_hot" / "a1_lookup" / "a1_lookup.html").read_text()
    assert "one_hot returned int64; the instructions ask for float32" in html

    export = run(course, str(BIN / "nbgrader"), "export", "--to", "grades.csv")
    assert export.returncode == 0, export.stdout + export.stderr
    rows = {r["student_id"]: r for r in csv.DictReader((course / "grades.csv").open())}
    expected = {c.student: c.expected for c in CHOSEN}
    assert {s: float(rows[s]["score"]) for s in expected} == expected
    assert float(rows["honest_correct"]["max_score"]) == FULL

    from autograder.pipeline import nbgrader_api

    api = nbgrader_api(course)
    submissions = {s["student"]: s for s in api.get_submissions("a1_lookup")}
    assert {s: submissions[s]["score"] for s in expected} == expected
    assert all(submissions[s]["autograded"] and not submissions[s]["needs_manual_grade"] for s in expected)
    notebooks = api.get_notebook_submissions("a1_lookup", "a1_lookup")
    assert sorted(n["student"] for n in notebooks) == sorted(expected)


def test_bad_arguments_and_unknown_assignment_fail_with_one_line(course, tmp_path):
    course, *_ = course
    bad = run(course, str(BIN / "embedding-lab"), "grade", "a9_missing", "--no-progress")
    assert bad.returncode == 1 and "generate_assignment a9_missing" in bad.stderr
    assert "Traceback" not in bad.stderr
    jobs = run(course, str(BIN / "embedding-lab"), "grade", "a1_lookup", "--jobs", "0")
    assert jobs.returncode == 2 and "--jobs" in jobs.stderr
    nowhere = run(tmp_path, str(BIN / "embedding-lab"), "grade", "a1_lookup", "--no-progress")
    assert nowhere.returncode == 1 and "nbgrader_config.py" in nowhere.stderr
