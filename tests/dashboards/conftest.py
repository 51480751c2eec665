"""Fixtures of the dashboard tests: a course with a known gradebook and autograded notebooks."""
from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest
from gradebook_factory import build_gradebook, write_autograded  # next to this file


@pytest.fixture(scope="session")
def course_template(tmp_path_factory) -> Path:
    """Built once per test process: nbgrader takes seconds to create a gradebook."""
    course_dir = tmp_path_factory.mktemp("course-template") / "course"
    course_dir.mkdir()
    with warnings.catch_warnings():
        # nbgrader's add_submission trips SQLAlchemy autoflush warnings of its own.
        warnings.simplefilter("ignore")
        build_gradebook(course_dir / "gradebook.db")
    write_autograded(course_dir)
    return course_dir


@pytest.fixture
def course(course_template, tmp_path) -> tuple[Path, str]:
    """``(course_dir, db_url)`` of a small graded class (see gradebook_factory), a private copy."""
    course_dir = shutil.copytree(course_template, tmp_path / "course")
    return course_dir, f"sqlite:///{course_dir / 'gradebook.db'}"
