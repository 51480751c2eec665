"""a6_pretraining's source notebook: the test cells (grade_id and points) its checks implement,
one per rule of the notebook's tasks. The rest of the contract is ``test_notebook_contract.py``'s,
which runs over every registered assignment, a6 among them.
"""
from __future__ import annotations

import re

import pytest

import test_notebook_contract as contract

A = "a6_pretraining"

TEST_CELLS = {
    "mask_tokens_basic": 2, "mask_tokens_special": 1, "mask_tokens_actions": 1, "mask_tokens_labels": 1,
    "mask_tokens_p": 1, "mask_tokens_errors": 1, "mask_tokens_new_tensors": 1,
    "quiz_keep_some_answer": 1,
    "embed_with_positions_basic": 2, "embed_with_positions_positions": 1, "embed_with_positions_gradients": 1,
    "embed_with_positions_dtype": 1, "embed_with_positions_errors": 1,
    "tied_logits_basic": 2, "tied_logits_bias": 1, "tied_logits_gradients": 1, "tied_logits_dtype": 1,
    "tied_logits_errors": 1,
    "quiz_tied_parameters_answer": 1,
    "mlm_loss_basic": 2, "mlm_loss_ignores_unlabelled": 1, "mlm_loss_no_labels": 1, "mlm_loss_extreme": 1,
    "mlm_loss_dtype": 1, "mlm_loss_gradient": 1,
    "quiz_capital_answer": 1, "quiz_same_row_answer": 1,
    "copy_pretrained_rows_basic": 2, "copy_pretrained_rows_missing": 1, "copy_pretrained_rows_dtype": 1,
    "copy_pretrained_rows_new_tensor": 1, "copy_pretrained_rows_errors": 1,
    "quiz_frozen_answer": 1,
}


def test_test_cells_are_the_ones_the_checks_implement():
    tests = {contract.nbgrader(c)["grade_id"]: c for c in contract.load(A).cells if contract.nbgrader(c).get("grade")}
    assert {g: contract.nbgrader(c)["points"] for g, c in tests.items()} == TEST_CELLS
    for grade_id, cell in tests.items():
        meta = contract.nbgrader(cell)
        assert meta["locked"] and not meta["solution"], grade_id
        assert cell.source.startswith("# "), f"{grade_id}: a test cell opens with a comment of what it checks"
        hidden = contract.HIDDEN.search(cell.source)
        assert hidden and f'run_check("{A}.{grade_id}")' in hidden.group(1), grade_id
    from autograder.checks import checks_for
    assert {c.name for c in checks_for(A)} == set(TEST_CELLS)
    assert sum(TEST_CELLS.values()) == 38 and len(TEST_CELLS) == 33  # 28 cells of functions, 5 quizzes
    functions, _ = contract.reference_names(A)
    for function in functions:
        cells = [g for g in tests if g.startswith(function + "_")]
        assert len(cells) >= 4 and f"{function}_basic" in cells, function
        visible = [g for g in cells if "assert " in tests[g].source.split("### BEGIN HIDDEN TESTS")[0]]
        assert visible, f"{function} has no visible test"


@pytest.mark.parametrize("function", ["mask_tokens", "embed_with_positions", "tied_logits", "mlm_loss",
                                      "copy_pretrained_rows"])
def test_each_function_has_a_check_the_rules_yourself_cell(function):
    cells = [c.source for c in contract.load(A).cells if c.cell_type == "code" and not contract.nbgrader(c)]
    assert [s for s in cells if s.startswith(f"# Check the rules yourself (not graded): each line says whether "
                                             f"your {function} keeps")]


def test_no_placeholder_is_left_in_the_text():
    text = "\n".join(c.source for c in contract.load(A).cells)
    assert not re.search(r"«|»|TODO|XXX", text)
