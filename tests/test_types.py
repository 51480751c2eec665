"""The grading and checks packages type-check (mypy, configured in pyproject.toml).

A wrong type there crashes a grading run only on the odd submission (a str stored where
a Verdict belongs raised AttributeError for a test cell without a check that did not
compile), so the quick loop (`make quick`) and CI both run the checker.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_grading_and_checks_type_check():
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout
