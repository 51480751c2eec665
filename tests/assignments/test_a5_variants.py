"""Proof through the real pipeline for a5_pretrained: its variants graded by stock nbgrader,
then regraded by `embedding-lab grade`, with exact per-cell scores.

The same plan as for a3/a4 (``test_a3_a4_variants``): the reference, one submission per
round of wrong variants (round r takes the r-th wrong variant of every function; the
quizzes answered wrongly in round 0), one per round of correct variants. No a5 test
cell calls a function other than its own, so variants of different functions can share
a submission. The GloVe cells read the vectors from the installed wheel in each kernel.
"""
from __future__ import annotations

import shutil

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder.checks import get_check, verdict_for
from autograder.course import init_course
from autograder.examples.variants import expected_failures, namespace_with, variant_functions, variant_names
from autograder.pipeline import nbgrader_api
from autograder.report import failure_messages
from autograder.submissions import fill_notebook

import test_a3_a4_variants as shared

pytestmark = [pytest.mark.slow]

A = "a5_pretrained"
QUIZZES = ["quiz_antonyms_close", "quiz_exclude_inputs", "quiz_bias_source"]
shared.QUIZZES.setdefault(A, QUIZZES)  # the shared plan builder looks quizzes up by assignment
PLAN = shared.build_plan(A)


def _grades(db_url: str) -> dict[str, dict[str, tuple[float, float]]]:
    with Gradebook(db_url) as gb:
        return {sub.student: {g.name: (g.score, g.max_score)
                              for g in gb.find_submission(A, sub.student).notebooks[0].grades}
                for sub in PLAN}


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict:
    course = tmp_path_factory.mktemp("course")
    db_url = f"sqlite:///{course / 'gradebook.db'}"
    init_course(course, db_url=db_url, assignments=[A])
    api = nbgrader_api(course, db_url)
    result = api.generate_assignment(A, force=True, create=True)
    assert result["success"], result.get("error") or result.get("log")
    release = nbformat.read(course / "release" / A / f"{A}.ipynb", as_version=4)
    for sub in PLAN:
        nb = fill_notebook(release, shared.submission_sources(A, sub), strict=False)
        folder = course / "submitted" / sub.student / A
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{A}.ipynb")
        result = api.autograde(A, sub.student, force=True, create=True)
        assert result["success"], (sub.student, result.get("error") or result.get("log"))
    return {"course": course, "release": release, "grades": _grades(db_url)}


@pytest.mark.parametrize("sub", PLAN, ids=[s.student for s in PLAN])
def test_submission_loses_exactly_the_expected_cells(graded, sub):
    grades = graded["grades"][sub.student]
    assert sub.expected <= set(grades), f"expected failures name unknown cells: {sub.expected - set(grades)}"
    lost = {name for name, (score, max_score) in grades.items() if score != max_score}
    assert lost == sub.expected, (sub.variants, lost ^ sub.expected)


def test_every_variant_is_graded():
    for function in variant_functions(A):
        graded_variants = {s.variants.get(function) for s in PLAN}
        assert set(variant_names(A, function, "correct_")) | set(variant_names(A, function, "wrong_")) <= graded_variants


def test_release_has_no_solutions_and_no_quiz_key(graded):
    import autograder.reference.a5_pretrained as key

    text = "\n".join(cell.source for cell in graded["release"].cells)
    assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text and "run_check" not in text
    for quiz in QUIZZES:
        cell = next(c for c in graded["release"].cells if c.metadata.get("nbgrader", {}).get("grade_id") == quiz)
        assert f"= '{getattr(key, quiz)}'" not in cell.source and f'= "{getattr(key, quiz)}"' not in cell.source


def test_feedback_says_in_words_what_is_wrong(graded):
    visible = {c.metadata["nbgrader"]["grade_id"] for c in graded["release"].cells
               if c.metadata.get("nbgrader", {}).get("grade") and "assert " in c.source}
    checked = 0
    for sub in PLAN:
        if not sub.expected:
            continue
        notebook = graded["course"] / "autograded" / sub.student / A / f"{A}.ipynb"
        failures = failure_messages(notebook)
        assert set(failures) == sub.expected
        for function, variant in sub.variants.items():
            namespace = namespace_with(A, function, variant)
            for cell in expected_failures(A, function, variant) - visible:
                want = verdict_for(get_check(f"{A}.{cell}"), namespace).message
                assert failures[cell] == f"AssertionError: {want}", (sub.student, cell)
                checked += 1
    assert checked >= 10


@pytest.fixture(scope="module")
def hardened(graded, tmp_path_factory):
    """The same submissions regraded by `embedding-lab grade` on a copy of the course."""
    from autograder.grading import Limits, grade_assignment

    course = tmp_path_factory.mktemp("hardened") / "course"
    shutil.copytree(graded["course"], course)
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text(encoding="utf-8").replace(str(graded["course"]), str(course)), encoding="utf-8")
    run = grade_assignment(course, A, force=True, jobs=2, limits=Limits(timeout=60))
    assert run.failed == [], run.failed
    return {"course": course, "run": run, "grades": _grades(f"sqlite:///{course / 'gradebook.db'}")}


def test_hardened_grader_gives_stock_scores(graded, hardened):
    assert hardened["grades"] == graded["grades"]


def test_hardened_grader_runs_every_cell_of_the_reference(hardened):
    notebook = hardened["course"] / "autograded" / f"{A}-reference" / A / f"{A}.ipynb"
    nb = nbformat.read(notebook, as_version=4)
    errors = [(i, o.get("ename"), o.get("evalue")) for i, c in enumerate(nb.cells) if c.cell_type == "code"
              for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    reference = next(g for g in hardened["run"].graded if g.student == f"{A}-reference")
    assert reference.events == [] and reference.restarts == 0
