"""The grading, checks and reporting packages type-check (mypy, configured in pyproject.toml).

A wrong type there crashes a grading run only on the odd submission (a str stored where
a Verdict belongs raised AttributeError for a test cell without a check that did not
compile), so the quick loop (`make quick`) and CI both run the checker.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_grading_checks_and_reporting_type_check():
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_the_kinds_are_literals_the_checker_sees(tmp_path):
    # A misspelt kind is a type error, not a step that silently never matches.
    wrong = tmp_path / "wrong_kinds.py"
    wrong.write_text("from autograder.checks import recorded\nfrom autograder.grading.records import Step\n"
                     "recorded('expcet', 'label')\nStep(0, 'execute')\nrecorded('expect', 'label')\nStep(0, 'exec')\n")
    result = subprocess.run([sys.executable, "-m", "mypy", "--follow-imports=silent", str(wrong)], cwd=REPO,
                            capture_output=True, text=True)
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert [line.split(":")[1] for line in errors] == ["3", "4"], result.stdout
