"""Fixtures for the grading tests."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from grading_course import make_course


@pytest.fixture(scope="module")
def a1_course(tmp_path_factory) -> tuple[Path, nbformat.NotebookNode]:
    """An a1_lookup course with the assignment generated (one per test module)."""
    return make_course(tmp_path_factory.mktemp("a1") / "course")
