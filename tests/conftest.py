"""Shared fixtures."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from tiny_course import tiny_notebook


@pytest.fixture
def tiny_assignments(tmp_path: Path) -> Path:
    """An assignments folder holding one tiny assignment named ``a1_lookup``."""
    root = tmp_path / "assignments"
    (root / "a1_lookup").mkdir(parents=True)
    nbformat.write(tiny_notebook(), root / "a1_lookup" / "a1_lookup.ipynb")
    (root / "a1_lookup" / "data.txt").write_text("北京欢迎你\n", encoding="utf-8")
    return root
