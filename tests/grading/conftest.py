"""Fixtures for the grading tests."""
from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from grading_course import make_course


@pytest.fixture(scope="module")
def a1_course(tmp_path_factory) -> tuple[Path, nbformat.NotebookNode]:
    """An a1_lookup course with the assignment generated (one per test module)."""
    return make_course(tmp_path_factory.mktemp("a1") / "course")


@pytest.fixture(scope="module")
def namespaces_available():
    """Skip the module where the namespace sandbox cannot run (with the reason); under CI, fail."""
    from autograder.grading.isolation import unavailable_reason

    reason = unavailable_reason()
    if reason and os.environ.get("CI"):
        pytest.fail(f"CI must run the OS sandbox: {reason}")
    if reason:
        pytest.skip(reason)
