"""A real a1_lookup course for the grading tests (built once per module, in tmp)."""
from __future__ import annotations

import shutil
import sys
import warnings
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the case helpers next to the tests


def make_course(root: Path) -> tuple[Path, nbformat.NotebookNode]:
    """init_course + nbgrader generate_assignment a1_lookup; returns (course, release notebook)."""
    from sqlalchemy.exc import SAWarning

    from autograder.course import init_course
    from autograder.pipeline import nbgrader_api

    warnings.filterwarnings("ignore", category=SAWarning)
    init_course(root, assignments=["a1_lookup"])
    api = nbgrader_api(root)
    result = api.generate_assignment("a1_lookup", force=True, create=True)
    assert result["success"], result.get("log")
    return root, nbformat.read(root / "release" / "a1_lookup" / "a1_lookup.ipynb", as_version=4)


def copy_course(course: Path, dest: Path) -> Path:
    shutil.copytree(course, dest)
    return dest


@pytest.fixture(scope="module")
def a1_course(tmp_path_factory) -> tuple[Path, nbformat.NotebookNode]:
    return make_course(tmp_path_factory.mktemp("a1") / "course")
