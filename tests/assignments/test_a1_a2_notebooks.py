"""The a1/a2 source notebooks follow the conventions the graders rely on (no kernel needed)."""
from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import nbformat
import pytest

import autograder.reference.a1_lookup
import autograder.reference.a2_linear
from autograder.checks import checks_for

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENTS = {"a1_lookup": autograder.reference.a1_lookup, "a2_linear": autograder.reference.a2_linear}
FUNCTIONS = {
    "a1_lookup": {"build_vocab", "encode", "one_hot", "lookup", "lookup_via_one_hot"},
    "a2_linear": {"embedding_to_linear", "linear_to_embedding", "embedding_weight_grad"},
}


def load(assignment: str):
    return nbformat.read(REPO / "assignments" / assignment / f"{assignment}.ipynb", as_version=4)


def nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_clean(assignment):
    nb = load(assignment)
    nbformat.validate(nb)
    assert set(nb.metadata) == {"kernelspec"}
    for cell in nb.cells:
        assert set(cell.metadata) <= {"nbgrader"}, cell.metadata
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_function_alone_in_its_solution_cell(assignment):
    nb = load(assignment)
    solutions = {nbgrader(c)["grade_id"]: c for c in nb.cells if nbgrader(c).get("solution")}
    functions = {name for name in solutions if not name.startswith("quiz_")}
    assert functions == FUNCTIONS[assignment]
    for name in functions:
        source = solutions[name].source
        defs = [n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)]
        assert [d.name for d in defs] == [name]
        assert "### BEGIN SOLUTION" in source and ast.get_docstring(defs[0])
    quizzes = {name for name in solutions if name.startswith("quiz_")}
    assert len(quizzes) >= 3


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_test_cells_and_checks_correspond(assignment):
    nb = load(assignment)
    tests = {nbgrader(c)["grade_id"]: c for c in nb.cells if nbgrader(c).get("grade")}
    assert set(tests) == {c.name for c in checks_for(assignment)}
    for grade_id, cell in tests.items():
        meta = nbgrader(cell)
        assert meta["locked"] and not meta["solution"] and meta["points"] > 0
        assert cell.source.startswith("# "), "each test cell opens with a comment of what it checks"
        hidden = re.search(r"### BEGIN HIDDEN TESTS\n(.*)### END HIDDEN TESTS", cell.source, re.S)
        assert hidden and f'run_check("{assignment}.{grade_id}")' in hidden.group(1)
    # Every function has a visible test (one with plain asserts outside the hidden part).
    for function in FUNCTIONS[assignment]:
        visible = [c for g, c in tests.items() if g.startswith(function + "_")
                   and "assert " in c.source.split("### BEGIN HIDDEN TESTS")[0]]
        assert visible, function


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_cells_hold_the_reference_and_the_key(assignment):
    # The notebook's solutions are the reference module's code, so instructors read what grades.
    nb = load(assignment)
    reference = ASSIGNMENTS[assignment]
    for cell in nb.cells:
        name = nbgrader(cell).get("grade_id")
        if not nbgrader(cell).get("solution"):
            continue
        body = cell.source.split("### BEGIN SOLUTION\n")[1].split("### END SOLUTION")[0]
        if name.startswith("quiz_"):
            assert body.strip() == f"{name} = {getattr(reference, name)!r}"
        else:
            ref_lines = inspect.getsource(getattr(reference, name)).splitlines()
            assert body.rstrip().splitlines() == ref_lines[1:], name
