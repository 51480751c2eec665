"""plan(): what each cell of a repaired notebook becomes, and what is known before anything runs."""
from __future__ import annotations

import nbformat

from autograder.grading.plan import plan
from autograder.grading.repair import SourceCell, SourceNotebook
from autograder.grading.results import Graded
from autograder.results import Verdict

SOURCE = SourceNotebook("a1_lookup", (
    SourceCell("build_vocab", "code", "def build_vocab(text):\n    return {}", locked=False, solution=True,
               grade=False, points=None),
    SourceCell("build_vocab_basic", "code", "run_check('a1_lookup.build_vocab_basic')", locked=True,
               solution=False, grade=True, points=2.0),
    SourceCell("extra_test", "code", "assert True", locked=True, solution=False, grade=True, points=1.0),
))


def cell(source: str, grade_id: str, **meta) -> nbformat.NotebookNode:
    node = nbformat.v4.new_code_cell(source)
    node.metadata["nbgrader"] = {"schema_version": 3, "grade_id": grade_id, **meta}
    return node


def notebook(*cells) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def test_a_test_cell_without_a_check_that_does_not_compile_fails_with_a_verdict():
    # It used to store the message (a str) as the verdict: Graded.to_dict() then raised AttributeError.
    nb = notebook(cell("assert (", "extra_test", grade=True, solution=False, locked=True, points=1.0))
    steps, known, _ = plan(nb, "a1_lookup", SOURCE)
    assert [s.kind for s in steps] == ["skip"]
    verdict = known[0].verdict
    assert isinstance(verdict, Verdict) and not verdict.passed
    assert verdict.message.startswith("SyntaxError: ")
    graded = Graded("dave", "a1_lookup", "a1_lookup", outputs=known, verdicts={"extra_test": verdict})
    assert graded.to_dict()["verdicts"] == {"extra_test": verdict.message}
