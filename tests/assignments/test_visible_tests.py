"""Every visible test in the source notebooks says in words what is wrong (no kernel needed).

A visible assert fails before the cell's hidden check runs, so a bare ``assert`` leaves
the student and the nbgrader feedback with a wordless ``AssertionError:``.
"""
from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from autograder.checks import ASSIGNMENTS

REPO = Path(__file__).resolve().parents[2]
HIDDEN_MARKER = "### BEGIN HIDDEN TESTS"
COURSE = set(ASSIGNMENTS)


def source_notebooks() -> dict[str, Path]:
    """Each assignment's nbgrader source notebook, ``assignments/<name>/<name>.ipynb``."""
    return {p.parent.name: p for p in sorted((REPO / "assignments").glob("*/*.ipynb")) if p.stem == p.parent.name}


def graded_cells(path: Path) -> list:
    """The graded, non-solution code cells (nbgrader test cells) of a notebook."""
    cells = nbformat.read(path, as_version=4).cells
    return [c for c in cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
            and not c.metadata["nbgrader"].get("solution")]


def visible_part(source: str) -> str:
    return source.partition(HIDDEN_MARKER)[0]


def _wordless(message: ast.expr | None) -> bool:
    # A message that is an empty string (or has no letters) says nothing either.
    if message is None:
        return True
    if isinstance(message, ast.Constant):
        return not (isinstance(message.value, str) and any(ch.isalpha() for ch in message.value))
    return False


def wordless_failures(source: str) -> list[int]:
    """Line numbers of visible asserts (and ``raise AssertionError``) that carry no message."""
    lines = []
    for node in ast.walk(ast.parse(visible_part(source))):
        if isinstance(node, ast.Assert) and _wordless(node.msg):
            lines.append(node.lineno)
        elif isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc
            name = exc.func if isinstance(exc, ast.Call) else exc
            if isinstance(name, ast.Name) and name.id == "AssertionError":
                args = exc.args if isinstance(exc, ast.Call) else []
                if not args or _wordless(args[0]):
                    lines.append(node.lineno)
    return sorted(lines)


def opens_with_one_line_comment(source: str) -> bool:
    first = source.split("\n", 1)[0]
    return first.startswith("# ") and len(first[2:].strip()) > 0


# --- the rules themselves can fail -------------------------------------------------------

@pytest.mark.parametrize("source, expected", [
    ("assert f(1) == 2\n", [1]),
    ("x = 1\nassert x, ''\n", [2]),
    ("assert x, '...'\n", [1]),
    ("if x:\n    assert y\n", [2]),
    ("raise AssertionError\n", [1]),
    ("try:\n    f()\nexcept KeyError:\n    pass\nelse:\n    raise AssertionError()\n", [6]),
    ("assert f(1) == 2, 'f(1) should be 2'\n", []),
    ("assert f(1) == 2, f'f(1) gave {f(1)}'\n", []),
    ("raise AssertionError('an unknown token should raise KeyError')\n", []),
    ("# check\n" + HIDDEN_MARKER + "\nassert hidden()\n### END HIDDEN TESTS\n", []),
])
def test_wordless_failures_finds_bare_asserts_in_the_visible_part_only(source, expected):
    assert wordless_failures(source) == expected


@pytest.mark.parametrize("source, ok", [
    ("# one_hot: one row per index\nassert x, 'msg'", True),
    ("assert x, 'msg'\n# one_hot", False),
    ("#one_hot\nassert x, 'msg'", False),
    ("# \nassert x, 'msg'", False),
    ("", False),
])
def test_opens_with_one_line_comment(source, ok):
    assert opens_with_one_line_comment(source) is ok


# --- the course's notebooks -------------------------------------------------------------

def test_every_assignment_of_the_course_is_checked():
    assert set(source_notebooks()) >= COURSE


@pytest.mark.parametrize("assignment", sorted(COURSE))
def test_visible_failures_are_worded(assignment):
    cells = graded_cells(source_notebooks()[assignment])
    assert cells, f"{assignment} has no test cells"
    bare = {c.metadata["nbgrader"]["grade_id"]: found for c in cells if (found := wordless_failures(c.source))}
    assert not bare, f"visible asserts without a message (grade_id: line numbers): {bare}"


@pytest.mark.parametrize("assignment", sorted(COURSE))
def test_every_test_cell_opens_with_a_one_line_comment(assignment):
    cells = graded_cells(source_notebooks()[assignment])
    missing = [c.metadata["nbgrader"]["grade_id"] for c in cells if not opens_with_one_line_comment(c.source)]
    assert not missing, f"test cells whose first line is not a '# ...' comment: {missing}"
