"""The widgets in a real IPython kernel: the graded quiz reads the notebook's answer cell."""
from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def notebook(answer_line: str) -> nbformat.NotebookNode:
    cells = [
        'from widgets import LookupExplorer, Quiz\n'
        'OPTIONS = ["(V, d)", "(d, V)", "(V,)"]\n'
        'Quiz("Shape of the weight of nn.Embedding(V, d)?", OPTIONS, name="quiz_weight_shape")',
        answer_line,                                             # the answer cell
        'quiz = Quiz("Shape of the weight of nn.Embedding(V, d)?", OPTIONS, name="quiz_weight_shape")\n'
        'print(quiz.choice_buttons.value)\nprint(quiz.recorded_view.value)',
        'explorer = LookupExplorer("北京欢迎你", dim=3)\nexplorer.index_slider.value = 3\n'
        'print(explorer.highlight_view.value)\nexplorer',
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def run(nb: nbformat.NotebookNode, tmp_path) -> nbformat.NotebookNode:
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    return nb


def stdout(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


@pytest.mark.slow
def test_reexecution_reproduces_the_recorded_answer_and_widgets_display(tmp_path):
    first = run(notebook('quiz_weight_shape = "b"'), tmp_path)
    assert WIDGET_MIME in first.cells[0].outputs[0]["data"]        # the quiz displays
    lines = stdout(first.cells[2]).splitlines()
    assert lines[0] == "b" and 'data-status="valid"' in lines[1]
    assert 'data-row="3"' in stdout(first.cells[3])
    assert WIDGET_MIME in first.cells[3].outputs[-1]["data"]
    # Re-executing the saved notebook (what the autograder does) gives the same answer.
    again = run(nbformat.reads(nbformat.writes(first), as_version=4), tmp_path)
    assert stdout(again.cells[2]).splitlines()[0] == "b"


@pytest.mark.slow
def test_quiz_in_a_kernel_without_an_answer_says_so(tmp_path):
    nb = run(notebook("pass"), tmp_path)
    lines = stdout(nb.cells[2]).splitlines()
    assert lines[0] == "None" and 'data-status="missing"' in lines[1]


@pytest.mark.slow
def test_run_all_shows_the_answer_recorded_below_the_quiz(tmp_path):
    cells = ['from widgets import Quiz\n'
             'quiz = Quiz("Shape of the weight of nn.Embedding(V, d)?", ["(V, d)", "(d, V)"], name="quiz_weight_shape")\n'
             'quiz',
             'quiz_weight_shape = "b"',                       # the answer cell, below the quiz
             'print(quiz.choice_buttons.value)\nprint(quiz.recorded_view.value)']
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    run(nb, tmp_path)
    lines = stdout(nb.cells[2]).splitlines()
    assert lines[0] == "b" and 'data-status="valid"' in lines[1]
    assert nb.cells[0].outputs[0]["data"]["text/plain"].startswith("Quiz: Shape of the weight")
