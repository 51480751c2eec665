"""The "Check the rules yourself" cells: all rules hold for the reference, and wrong variants see ✗.

Each function of each assignment is followed by an ungraded cell that calls
``widgets.check_rules`` with one small claim per rule of its task, so a student can
check every rule before handing in (Validate runs only the visible examples). Here
each such cell runs on the reference solutions (every rule must hold) and on every
wrong variant of its function (at least one rule must show ✗: no planted mistake
is seen by the hidden tests only).
"""
from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from autograder.checks import ASSIGNMENTS
from support.variants import namespace_with, variant_functions, variant_names

REPO = Path(__file__).resolve().parents[2]


def rule_cell(assignment: str, function: str) -> str:
    nb = json.loads((REPO / "assignments" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))
    (cell,) = [c for c in nb["cells"] if c.get("id") == f"rules-{function.replace('_', '-')}"]
    assert not cell["metadata"].get("nbgrader"), "a rule cell is never graded"
    return "".join(cell["source"])


def run_rules(assignment: str, function: str, namespace: dict) -> list[str]:
    import math
    import time

    import numpy as np
    import torch
    from widgets import check_rules

    # What the notebook's first cell imports.
    namespace = {"torch": torch, "nn": torch.nn, "F": torch.nn.functional, "np": np, "time": time, "math": math,
                 **namespace,
                 "check_rules": check_rules}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(rule_cell(assignment, function), f"<rules-{function}>", "exec"), namespace)
    return out.getvalue().splitlines()


CASES = [(a, f) for a in ASSIGNMENTS for f in variant_functions(a)]
WRONG = [(a, f, v) for a, f in CASES for v in variant_names(a, f, "wrong_")]


@pytest.mark.parametrize(("assignment", "function"), CASES, ids=[f for _, f in CASES])
def test_every_rule_holds_for_the_reference(assignment, function):
    lines = run_rules(assignment, function, namespace_with(assignment, function, variant_names(
        assignment, function, "correct_")[0]))
    marks = [line for line in lines if line[:1] in "✓✗"]
    assert len(marks) >= 3 and all(line.startswith("✓") for line in marks), lines
    assert "hidden tests check these rules" in lines[-1]


@pytest.mark.parametrize(("assignment", "function", "variant"), WRONG, ids=[f"{f}-{v}" for _, f, v in WRONG])
def test_a_wrong_variant_sees_a_broken_rule(assignment, function, variant):
    lines = run_rules(assignment, function, namespace_with(assignment, function, variant))
    assert [line for line in lines if line.startswith("✗")], lines
