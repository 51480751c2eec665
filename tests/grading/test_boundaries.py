"""The grading package stands on its own: it does not import the demo pipeline."""
from __future__ import annotations

import subprocess
import sys


def test_grading_imports_neither_the_pipeline_nor_the_demo_students():
    code = ("import sys, autograder.grading.cli, autograder.grading.runner; "
            "print(sorted(m for m in sys.modules if m in ('autograder.pipeline', 'autograder.demo_submissions')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
