"""plan(): what each cell of a repaired notebook becomes, and what is known before anything runs."""
from __future__ import annotations

import nbformat

from autograder.grading.plan import explain_undefined, plan
from autograder.grading.repair import SourceCell, SourceNotebook, unreadable_notebook
from autograder.grading.results import Graded, Output
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


def test_probes_of_a_name_only_a_cell_that_does_not_compile_defines_are_told_so():
    broken = cell("def build_vocab(text):\n    vocab = {}\n      return vocab", "build_vocab", grade=False,
                  solution=True, locked=False)
    test = cell("", "build_vocab_basic", grade=True, solution=False, locked=True, points=2.0)
    steps, known, _ = plan(notebook(broken, test), "a1_lookup", SOURCE)
    assert known[0].error["traceback"] == ["IndentationError: unexpected indent, line 3"]
    probe = steps[1]
    why = ("`build_vocab` is not defined: the cell that defines it does not compile (IndentationError: "
           "unexpected indent, line 3), so it never ran; fix that cell")
    assert probe.undefined == (("build_vocab", why),)
    # what the sandbox reports when the name is indeed missing, judged as usual first
    missing = Output(steps=[{"kind": "missing", "label": "build_vocab", "present": False}],
                     verdict=Verdict(False, "`build_vocab` is not defined: run the cell that defines it"))
    explain_undefined(steps, {1: missing})
    assert missing.verdict == Verdict(False, why)
    # a probe that found the name (defined some other way) keeps its own verdict
    found = Output(steps=[{"kind": "missing", "label": "build_vocab", "present": True}], verdict=Verdict(False, "x"))
    explain_undefined(steps, {1: found})
    assert found.verdict == Verdict(False, "x")


def test_a_name_another_cell_defines_is_not_blamed_on_the_cell_that_does_not_compile():
    broken = cell("def build_vocab(text)\n    return {}", "build_vocab", grade=False, solution=True, locked=False)
    elsewhere = nbformat.v4.new_code_cell("def build_vocab(text):\n    return {}")
    test = cell("", "build_vocab_basic", grade=True, solution=False, locked=True, points=2.0)
    steps, _, _ = plan(notebook(broken, elsewhere, test), "a1_lookup", SOURCE)
    assert steps[2].kind == "probe" and steps[2].undefined == ()


def test_a_notebook_that_could_not_be_read_runs_nothing_and_fails_each_test_cell_saying_why():
    nb = unreadable_notebook(SOURCE, "the notebook could not be read (NotJSONError)")
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith(
        "**This notebook could not be graded.** The notebook could not be read (NotJSONError), so nothing")
    steps, known, _ = plan(nb, "a1_lookup", SOURCE, unreadable="the notebook could not be read (NotJSONError)")
    assert {s.kind for s in steps} == {"skip"}
    tests = [s.cell_index for s in steps if s.is_test]
    assert len(tests) == 2 and set(known) == set(tests)
    assert {known[i].verdict for i in tests} == {
        Verdict(False, "the notebook could not be read (NotJSONError), so nothing in it was graded")}
