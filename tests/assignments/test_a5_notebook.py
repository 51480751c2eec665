"""The a5 source notebook follows the conventions the graders rely on (no kernel needed),
as ``test_a1_a2_notebooks`` holds a1/a2 to them."""
from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import nbformat

import autograder.reference.a5_pretrained as reference
from autograder.checks import checks_for

REPO = Path(__file__).resolve().parents[2]
A = "a5_pretrained"
FUNCTIONS = {"normalize_rows", "nearest", "analogy", "project_2d", "direction_scores"}
NB = nbformat.read(REPO / "assignments" / A / f"{A}.ipynb", as_version=4)


def nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def test_committed_clean():
    nbformat.validate(NB)
    assert set(NB.metadata) == {"kernelspec"}
    for cell in NB.cells:
        assert set(cell.metadata) <= {"nbgrader"}, cell.metadata
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_each_function_alone_in_its_solution_cell():
    solutions = {nbgrader(c)["grade_id"]: c for c in NB.cells if nbgrader(c).get("solution")}
    assert {name for name in solutions if not name.startswith("quiz_")} == FUNCTIONS
    for name in FUNCTIONS:
        defs = [n for n in ast.parse(solutions[name].source).body if isinstance(n, ast.FunctionDef)]
        assert [d.name for d in defs] == [name] and ast.get_docstring(defs[0])
    assert len([name for name in solutions if name.startswith("quiz_")]) >= 3


def test_test_cells_and_checks_correspond():
    tests = {nbgrader(c)["grade_id"]: c for c in NB.cells if nbgrader(c).get("grade")}
    assert set(tests) == {c.name for c in checks_for(A)}
    for grade_id, cell in tests.items():
        meta = nbgrader(cell)
        assert meta["locked"] and not meta["solution"] and meta["points"] > 0
        hidden = re.search(r"### BEGIN HIDDEN TESTS\n(.*)### END HIDDEN TESTS", cell.source, re.S)
        assert hidden and f'run_check("{A}.{grade_id}")' in hidden.group(1)
    for function in FUNCTIONS:  # every function has a visible test
        assert [c for g, c in tests.items() if g.startswith(function + "_")
                and "assert " in c.source.split("### BEGIN HIDDEN TESTS")[0]], function


def test_solution_cells_hold_the_reference_and_the_key():
    for cell in NB.cells:
        name = nbgrader(cell).get("grade_id")
        if not nbgrader(cell).get("solution"):
            continue
        body = cell.source.split("### BEGIN SOLUTION\n")[1].split("### END SOLUTION")[0]
        if name.startswith("quiz_"):
            assert body.strip() == f"{name} = {getattr(reference, name)!r}"
        else:
            source = inspect.getsource(getattr(reference, name))
            first = ast.parse(source).body[0].body[0].lineno - 1  # the body, after a signature of any length
            assert body.rstrip().splitlines() == source.splitlines()[first:], name


def test_the_rules_the_checks_test_are_stated():
    text = "\n".join(c.source for c in NB.cells if c.cell_type == "markdown")
    for rule in ("zero row stays zero", "smaller index", "never listed", "KeyError", "ValueError",
                 "unit(b) - unit(a) + unit(c)", "either sign", "1e-4", "means, not sums", "Python `float`"):
        assert rule in text, rule
