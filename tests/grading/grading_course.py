"""Helpers for the grading tests: a real a1_lookup course, built in tmp."""
from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import nbformat


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


def a1_totals(course: Path) -> dict[str, float]:
    """Student -> total autograded a1_lookup score stored in the course's gradebook."""
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for submission in gb.find_assignment("a1_lookup").submissions:
            out[submission.student.id] = sum(g.auto_score or 0 for nb in submission.notebooks for g in nb.grades)
    return out
