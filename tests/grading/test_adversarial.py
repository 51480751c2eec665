"""`embedding-lab grade` on adversarial and faulty submissions: exact scores, and stock nbgrader for contrast."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook, MissingEntry

from adversarial import CASES, FULL, PLANTED, PROBE_TRICKS, write_cases
from grading_course import copy_course

pytestmark = [pytest.mark.slow]
BIN = Path(sys.executable).parent
BY_NAME = {case.student: case for case in CASES}


def totals(course: Path) -> dict[str, float | None]:
    """Student -> total autograded score in the gradebook (None: no autograded scores)."""
    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for case in CASES:
            try:
                nb = gb.find_submission_notebook("a1_lookup", "a1_lookup", case.student)
            except MissingEntry:
                out[case.student] = None
                continue
            scores = [g.auto_score for g in nb.grades]
            out[case.student] = None if any(s is None for s in scores) else sum(scores)
    return out


@pytest.fixture(scope="module")
def graded(a1_course, tmp_path_factory):
    from autograder.grading import Limits, grade_assignment

    course, release = a1_course
    course = copy_course(course, tmp_path_factory.mktemp("ours") / "course")
    write_cases(course, release)
    run = grade_assignment(course, "a1_lookup", limits=Limits(timeout=10, memory_mb=512), jobs=2)
    return course, run


@pytest.mark.parametrize("student", [case.student for case in CASES])
def test_exact_score(graded, student):
    course, run = graded
    assert totals(course)[student] == BY_NAME[student].expected


@pytest.mark.parametrize("student", [case.student for case in CASES if case.event])
def test_unusual_event_is_reported(graded, student):
    _, run = graded
    result = next(g for g in run.graded if g.student == student)
    assert BY_NAME[student].event in {e.kind for e in result.events}, result.events


def test_honest_submissions_report_nothing_unusual(graded):
    _, run = graded
    for result in run.graded:
        if result.student.startswith("honest_"):
            assert result.events == [] and result.restarts == 0


def test_every_submission_graded_without_failures(graded):
    course, run = graded
    assert run.failed == []
    assert sorted(g.student for g in run.graded) == sorted(BY_NAME)
    assert all((course / "autograded" / s / "a1_lookup" / "a1_lookup.ipynb").is_file() for s in BY_NAME)


def test_failed_check_message_reaches_the_autograded_notebook(graded):
    import nbformat

    course, _ = graded
    nb = nbformat.read(course / "autograded" / "honest_wrong_one_hot" / "a1_lookup" / "a1_lookup.ipynb", 4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "one_hot_dtype")
    errors = [o for o in cell.outputs if o.output_type == "error"]
    assert errors and "float32" in errors[0].evalue


def test_stock_nbgrader_fails_or_is_fooled_where_we_are_not(a1_course, tmp_path):
    course, release = a1_course
    course = copy_course(course, tmp_path / "stock")
    chosen = [c for c in CASES if c.stock_fails or c.stock_expected is not None or c.student == "honest_correct"]
    write_cases(course, release, chosen)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    # One student per run: in a single stock run, the pasted cell's SchemaTooOldError
    # aborts grading for every student sorted after it.
    for case in chosen:
        subprocess.run([str(BIN / "nbgrader"), "autograde", "a1_lookup", "--student", case.student],
                       cwd=course, env=env, capture_output=True)
    stock = totals(course)
    for case in chosen:
        if case.stock_fails:
            assert stock[case.student] is None, case.student
        elif case.stock_expected is not None:
            assert stock[case.student] == case.stock_expected != case.expected, case.student
    assert stock["honest_correct"] == FULL


def test_nothing_was_written_into_the_grader(graded):
    assert not PLANTED.exists()


@pytest.mark.parametrize("trick", sorted(PROBE_TRICKS))
def test_probe_trick_fools_an_unguarded_probe(trick):
    """Each trick aimed at the probes does work where nothing guards them, so its exact score above means something."""
    cells = PROBE_TRICKS[trick]
    script = "\n".join([
        "import time, torch, autograder.checks.a1_lookup",  # preloaded in the sandbox too
        *[f"exec({cell!r}, globals())" for cell in cells],
        "time.sleep(0.05)",  # let a thread do its work
        "from autograder.checks import get_check, verdict_for",
        "print(verdict_for(get_check('a1_lookup.one_hot_dtype'), globals()).passed)",
    ])
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip().splitlines()[-1:] == ["True"], out.stderr[-2000:]
