"""Outputs put in the autograded notebook score as nbgrader's own determine_grade says they should."""
from __future__ import annotations

import nbformat
from nbgrader.utils import determine_grade

from autograder.grading.gradebook_writer import notebook_outputs
from autograder.grading.records import Output
from autograder.grading.worker import judge_probe
from autograder.results import Verdict
from autograder.checks import get_check, reference_steps

KEY = "a1_lookup.one_hot_dtype"


def graded_cell(outputs):
    cell = nbformat.v4.new_code_cell("# test")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "points": 3,
                                 "grade_id": "t", "schema_version": 3}
    cell.outputs = outputs
    return cell


def test_passing_test_cell_with_stderr_keeps_its_points():
    outputs = notebook_outputs(Output(stdout="hello\n", stderr="UserWarning: careful\n"), 1, is_test=True)
    assert determine_grade(graded_cell(outputs)) == (3, 3)
    assert all(o.get("name") != "stderr" for o in outputs)
    assert "careful" in "".join(o.get("text", "") for o in outputs)


def test_failing_check_scores_zero_and_shows_the_message():
    outputs = notebook_outputs(Output(verdict=Verdict(False, "one_hot returned int64")), 1, is_test=True)
    assert determine_grade(graded_cell(outputs)) == (0, 3)
    assert outputs[-1].ename == "AssertionError" and outputs[-1].evalue == "one_hot returned int64"


def test_ordinary_cells_keep_stderr_errors_and_results():
    error = {"ename": "NameError", "evalue": "x", "traceback": ["NameError: x"]}
    outputs = notebook_outputs(Output(stderr="warn\n", result="42", error=error), 7, is_test=False)
    assert [(o.output_type, o.get("name")) for o in outputs] == \
        [("stream", "stderr"), ("execute_result", None), ("error", None)]
    assert outputs[1].execution_count == 7


def test_in_kernel_test_cell_with_a_numeric_result_gets_partial_credit_as_in_nbgrader():
    outputs = notebook_outputs(Output(result="0.5"), 1, is_test=True)
    assert determine_grade(graded_cell(outputs)) == (0.5, 3)


def test_verdict_is_judged_against_the_reference_outside_the_kernel():
    reference = reference_steps(get_check(KEY))
    assert judge_probe(KEY, reference, None) == Verdict(True)
    assert judge_probe(KEY, reference[:2], {"name": "KeyboardInterrupt", "message": ""}) == \
        Verdict(False, "the check could not continue: KeyboardInterrupt: ")
    assert "stopped early" in judge_probe(KEY, reference[:2], None).message
    assert "malformed" in judge_probe(KEY, [{"kind": "missing", "label": reference[0]["label"]}], None).message
    nonsense = judge_probe(KEY, [{"nonsense": 1}] * len(reference), None)
    assert not nonsense.passed and nonsense.message
    assert "more steps" in judge_probe(KEY, reference + reference[-1:], None).message
