"""repair(): damaged submissions are repaired or reported, never fatal."""
from __future__ import annotations

import nbformat
import pytest

from autograder.grading.repair import SourceCell, SourceNotebook, defined_names, nbgrader_meta, repair

TEST_SOURCE = "# f doubles\nassert f(1) == 2\n### BEGIN HIDDEN TESTS\nassert f(2) == 4\n### END HIDDEN TESTS"
RELEASE_TEST = "# f doubles\nassert f(1) == 2"
SOURCE = SourceNotebook("nb", (
    SourceCell("intro", "markdown", "# Intro", locked=True, solution=False, grade=False, points=None),
    SourceCell("f", "code", "def f(x):\n    return 2 * x", locked=False, solution=True, grade=False, points=None),
    SourceCell("f_test", "code", TEST_SOURCE, locked=True, solution=False, grade=True, points=2.0),
))


def cell(source: str, cell_type: str = "code", **meta):
    node = nbformat.v4.new_code_cell(source) if cell_type == "code" else nbformat.v4.new_markdown_cell(source)
    if meta:
        node.metadata["nbgrader"] = {"schema_version": 3, **meta}
    return node


def submission(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def intro():
    return cell("# Intro", "markdown", grade_id="intro", grade=False, solution=False, locked=True)


def solution(source="def f(x):\n    return x + x", grade_id="f"):
    return cell(source, grade_id=grade_id, grade=False, solution=True, locked=False)


def hidden_test_cell(source=RELEASE_TEST, **extra):
    meta = dict(grade_id="f_test", grade=True, solution=False, locked=True, points=2.0)
    meta.update(extra)
    return cell(source, **meta)


def ids(nb):
    return [(nbgrader_meta(c) or {}).get("grade_id") for c in nb.cells]


def kinds(events):
    return sorted({e.kind for e in events})


def test_an_intact_submission_is_left_alone_and_its_test_cell_gets_the_hidden_tests():
    nb, events = repair(submission(intro(), solution(), hidden_test_cell()), SOURCE)
    assert events == []
    assert ids(nb) == ["intro", "f", "f_test"]
    assert nb.cells[2].source == TEST_SOURCE


def test_duplicated_solution_keeps_the_last_copy_that_defines_the_function():
    draft = solution("def f(x):\n    return 0")
    scratch = solution("print('scratch work')")
    nb, events = repair(submission(intro(), draft, solution(), scratch, hidden_test_cell()), SOURCE)
    assert ids(nb) == ["intro", None, "f", None, "f_test"]
    assert [c.source for c in nb.cells if nbgrader_meta(c) and nbgrader_meta(c)["grade_id"] == "f"] == \
        ["def f(x):\n    return x + x"]
    assert kinds(events) == ["repair"]


def test_duplicated_locked_cell_extra_copies_are_dropped():
    nb, events = repair(submission(intro(), solution(), hidden_test_cell(), hidden_test_cell()), SOURCE)
    assert ids(nb) == ["intro", "f", "f_test"]
    assert kinds(events) == ["repair"]


def test_renamed_grade_id_is_matched_back_by_the_function_it_defines():
    nb, events = repair(submission(intro(), solution(grade_id="my_f"), hidden_test_cell()), SOURCE)
    assert ids(nb) == ["intro", "f", "f_test"]
    assert "renamed" in events[0].detail


def test_unknown_grade_id_that_matches_nothing_becomes_an_ordinary_cell():
    nb, events = repair(submission(intro(), solution(), cell("x = 1", grade_id="mystery", grade=False,
                                                             solution=True, locked=False), hidden_test_cell()), SOURCE)
    assert ids(nb) == ["intro", "f", None, "f_test"]
    assert "mystery" in events[0].detail


def test_deleted_test_cell_is_restored_after_the_cell_before_it():
    nb, events = repair(submission(intro(), solution()), SOURCE)
    assert ids(nb) == ["intro", "f", "f_test"]
    assert nb.cells[2].source == TEST_SOURCE and nbgrader_meta(nb.cells[2])["points"] == 2.0
    assert kinds(events) == ["repair"]


def test_deleted_solution_cell_is_reported_and_never_filled_with_the_solution():
    nb, events = repair(submission(intro(), hidden_test_cell()), SOURCE)
    assert ids(nb) == ["intro", "f_test"]
    assert all("return 2 * x" not in c.source for c in nb.cells)
    assert "missing" in events[0].detail


@pytest.mark.parametrize("tamper", ["edit", "unlock", "points"])
def test_edited_unlocked_or_repointed_test_cell_is_restored_and_reported(tamper):
    extra = {"edit": {}, "unlock": {"locked": False}, "points": {"points": 100.0}}[tamper]
    source = "pass" if tamper == "edit" else RELEASE_TEST
    nb, events = repair(submission(intro(), solution(), hidden_test_cell(source, **extra)), SOURCE)
    meta = nbgrader_meta(nb.cells[2])
    assert nb.cells[2].source == TEST_SOURCE and meta["locked"] is True and meta["points"] == 2.0
    assert kinds(events) == ["tampering"]


def test_changed_cell_type_is_restored():
    turned = hidden_test_cell()
    turned.cell_type = "markdown"
    del turned["outputs"], turned["execution_count"]
    nb, events = repair(submission(intro(), solution(), turned), SOURCE)
    assert nb.cells[2].cell_type == "code" and nb.cells[2].outputs == []
    assert any("cell type" in e.detail for e in events)


def test_damaged_metadata_and_duplicate_cell_ids_are_repaired():
    broken = cell("y = 2")
    broken.metadata["nbgrader"] = "not a dict"
    first, second = solution(), hidden_test_cell()
    second["id"] = first["id"]
    nb, events = repair(submission(intro(), first, broken, second), SOURCE)
    assert ids(nb) == ["intro", "f", None, "f_test"]
    assert len({c["id"] for c in nb.cells}) == len(nb.cells)
    assert "damaged" in events[0].detail


def test_defined_names_understands_ipython_syntax_and_broken_code():
    assert defined_names("%time x = 1\ndef f():\n    pass\nclass C: pass\ny: int = 3") == {"f", "C", "y"}
    assert defined_names("def g(:\n") == {"g"}  # found by its def line when the cell does not parse
