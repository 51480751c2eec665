"""Run All on every released notebook, untouched, reaches the end.

A student who opens a notebook and runs every cell before writing anything must see every
widget and quiz, not a traceback at the first unfinished task. Each student notebook
(nbgrader's release of assignments/*) is run as JupyterLab's *Run All* runs it: cell by
cell, stopping at the first error, except in cells tagged ``raises-exception``
(JupyterLab, Notebook 7 and nbclient all honour the tag). Only test cells and quiz or
answer cells carry the tag: they fail until the task is done, and that is what grading
needs. Every other cell must run; a demo that needs a student's function says which task
to finish (``widgets.needs``).
"""
from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.checks import ASSIGNMENTS

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def releases(tmp_path_factory) -> Path:
    """A course with every assignment released by nbgrader (the student version)."""
    from sqlalchemy.exc import SAWarning

    from autograder.course import init_course
    from autograder.pipeline import nbgrader_api

    warnings.filterwarnings("ignore", category=SAWarning)
    course = tmp_path_factory.mktemp("run-all") / "course"
    init_course(course)
    api = nbgrader_api(course)
    for assignment in ASSIGNMENTS:
        assert api.generate_assignment(assignment, force=True, create=True)["success"], assignment
    return course / "release"


def run_all(release: Path, assignment: str, into: Path) -> nbformat.NotebookNode:
    folder = shutil.copytree(release / assignment, into / assignment)
    nb = nbformat.read(folder / f"{assignment}.ipynb", as_version=4)
    # allow_errors=False: an error in an untagged cell stops the run, as in JupyterLab.
    NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=False,
                   resources={"metadata": {"path": str(folder)}}).execute()
    return nb


def is_graded_or_answer(cell) -> bool:
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("grade")) or (meta.get("solution") and not cell.source.lstrip().startswith("def "))


def text_of(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_run_all_on_the_untouched_student_notebook_reaches_the_end(releases, assignment, tmp_path):
    nb = run_all(releases, assignment, tmp_path)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[-1].execution_count is not None, "the last cell ran"
    for cell in code:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if is_graded_or_answer(cell):
            assert cell.metadata.get("tags") == ["raises-exception"], cell.source[:80]
            continue
        assert not errors, f"{cell.source[:80]!r} stopped with {errors[0].ename}: {errors[0].evalue[:200]}"
        if "with needs(" in cell.source:
            # Nothing is finished yet: each demo of a student's function says which task to finish.
            assert "it still raises NotImplementedError): finish Task" in text_of(cell) \
                or "that cell did not run to the end: finish Task" in text_of(cell), cell.source[:80]
    demos = [c for c in code if "with needs(" in c.source]
    assert demos or assignment == "a2_linear", "the demos of the student's functions are written with needs()"
