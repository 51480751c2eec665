"""Every registered assignment's source notebook follows the conventions the graders rely on.

No kernel needed. An assignment is registered in ``autograder.checks.ASSIGNMENTS``;
registering one means adding its notebook, checks module, reference module and
example variants (``docs/adding-an-assignment.md``), and the first test below fails
while one of them is missing.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import re
import types
from pathlib import Path

import nbformat
import pytest

from autograder.checks import ASSIGNMENTS, checks_for

REPO = Path(__file__).resolve().parents[2]
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*)### END HIDDEN TESTS", re.S)


def load(assignment: str):
    return nbformat.read(REPO / "assignments" / assignment / f"{assignment}.ipynb", as_version=4)


def nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def reference(assignment: str) -> types.ModuleType:
    return importlib.import_module(f"autograder.reference.{assignment}")


def reference_names(assignment: str) -> tuple[set[str], set[str]]:
    """(functions, values) the reference module defines: what the solution cells hold."""
    module = reference(assignment)
    functions, values = set(), set()
    for name, value in vars(module).items():
        if name.startswith("_"):
            continue
        if inspect.isfunction(value) and value.__module__ == module.__name__:
            functions.add(name)
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            values.add(name)
    return functions, values


def solutions(assignment: str) -> dict[str, str]:
    """grade_id -> the code between BEGIN and END SOLUTION."""
    out = {}
    for cell in load(assignment).cells:
        if nbgrader(cell).get("solution"):
            out[nbgrader(cell)["grade_id"]] = cell.source.split("### BEGIN SOLUTION\n")[1].split("### END SOLUTION")[0]
    return out


def function_body(source: str) -> list[str]:
    """A function's lines after its signature and docstring (comments just above the first statement kept)."""
    node = ast.parse(source).body[0]
    statements = node.body[1:] if ast.get_docstring(node) else node.body
    lines = source.splitlines()
    first = statements[0].lineno - 1  # 0-based index of the first statement's line
    above = node.body[0].end_lineno if ast.get_docstring(node) else node.lineno  # 1-based: the last line not ours
    while first > above and lines[first - 1].strip().startswith("#"):
        first -= 1
    return lines[first:]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_registered_assignment_has_all_its_parts(assignment):
    assert (REPO / "assignments" / assignment / f"{assignment}.ipynb").is_file()
    assert (REPO / "autograder" / "reference" / f"{assignment}.py").is_file(), "reference"
    checks = REPO / "autograder" / "checks"  # a module, or a package of one module per function
    assert (checks / f"{assignment}.py").is_file() or (checks / assignment / "__init__.py").is_file(), "checks"
    variants = REPO / "tests" / "variants" / assignment
    assert variants.is_dir() and list(variants.glob("*.py")), "wrong and correct variants of each function"
    assert checks_for(assignment), "its checks are registered"


def test_every_assignment_folder_is_registered():
    folders = {p.name for p in (REPO / "assignments").iterdir() if p.is_dir()}
    assert folders == set(ASSIGNMENTS)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_clean(assignment):
    nb = load(assignment)
    nbformat.validate(nb)
    assert set(nb.metadata) == {"kernelspec"}
    for cell in nb.cells:
        assert set(cell.metadata) <= {"nbgrader", "tags"}, cell.metadata
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
        # Cells that raise until the student's work is done (test cells; quiz and other answer
        # cells, whose stub raises NotImplementedError) let Run All go on past them, in
        # JupyterLab, Notebook 7 and nbclient alike (tests/assignments/test_run_all.py).
        meta = nbgrader(cell)
        raises = cell.cell_type == "code" and (
            (meta.get("grade") and not meta.get("solution"))
            or (meta.get("solution") and not cell.source.lstrip().startswith("def ")))
        assert cell.metadata.get("tags", []) == (["raises-exception"] if raises else []), cell.source[:60]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_function_alone_in_its_solution_cell(assignment):
    functions, _ = reference_names(assignment)
    cells = {nbgrader(c)["grade_id"]: c for c in load(assignment).cells if nbgrader(c).get("solution")}
    assert functions and functions <= set(cells)
    for name in functions:
        source = cells[name].source
        defs = [n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)]
        assert [d.name for d in defs] == [name]
        assert "### BEGIN SOLUTION" in source and ast.get_docstring(defs[0]), name
    assert len([name for name in cells if name.startswith("quiz_")]) >= 3


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_test_cells_and_checks_correspond(assignment):
    tests = {nbgrader(c)["grade_id"]: c for c in load(assignment).cells if nbgrader(c).get("grade")}
    assert set(tests) == {c.name for c in checks_for(assignment)}
    for grade_id, cell in tests.items():
        meta = nbgrader(cell)
        assert meta["locked"] and not meta["solution"] and meta["points"] > 0, grade_id
        assert cell.source.startswith("# "), f"{grade_id}: a test cell opens with a comment of what it checks"
        hidden = HIDDEN.search(cell.source)
        assert hidden and f'run_check("{assignment}.{grade_id}")' in hidden.group(1), grade_id
    functions, _ = reference_names(assignment)
    for function in functions:  # every function has a visible test: plain asserts outside the hidden part
        assert [c for g, c in tests.items() if g.startswith(function + "_")
                and "assert " in c.source.split("### BEGIN HIDDEN TESTS")[0]], function


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_cells_hold_the_reference_and_the_key(assignment):
    # The notebook's solutions are the reference module's code, so instructors read what grades.
    module = reference(assignment)
    functions, values = reference_names(assignment)
    cells = solutions(assignment)
    assert set(cells) == functions | values, "a solution cell for each reference name, and no other"
    for name, body in cells.items():
        expected = getattr(module, name)
        if name in functions:
            assert body.rstrip().splitlines() == function_body(inspect.getsource(expected)), name
        elif name.startswith("quiz_"):
            assert body.strip() == f"{name} = {expected!r}", name
        else:  # a computed answer (a4's byte counts): the cell's expression gives the reference value
            namespace: dict = {}
            exec(body, namespace)
            assert namespace[name] == expected, name
