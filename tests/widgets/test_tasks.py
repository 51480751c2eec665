"""widgets.needs: a demo that needs an unfinished task says so in words, and the notebook runs on."""
from __future__ import annotations

import pytest

from widgets import needs


def one_hot(indices, vocab_size):
    raise NotImplementedError()


def test_an_unfinished_function_is_told_as_a_task_to_finish(capsys):
    with needs("Task 3", "one_hot") as demo:
        print(one_hot([1], 5))
    out = capsys.readouterr().out
    assert out == demo.shown + "\n"
    assert demo.shown == ("This cell shows your `one_hot` (Task 3) at work, which is not written yet (it still "
                          "raises NotImplementedError): finish Task 3, then run this cell again.")
    assert "Traceback" not in out


def test_a_missing_result_of_an_earlier_cell_and_a_bug_are_told_too(capsys):
    with needs("Tasks 1 and 2", "skipgram_pairs", "negative_sampling_loss") as demo:
        context_run  # noqa: B018, F821 - made by a cell that did not run
    assert demo.shown.startswith("This cell needs what an earlier cell makes with your `skipgram_pairs` and "
                                 "`negative_sampling_loss` (Tasks 1 and 2), and that cell did not run to the end")

    def broken(indices, vocab_size):
        raise ValueError("every index must be in 0..4\n(more)")

    with needs("Task 3", "one_hot") as demo:
        broken([9], 5)
    assert demo.shown == ("This cell uses your `one_hot` (Task 3), and it stopped with ValueError: every index must "
                          "be in 0..4. The test cells of Task 3 say what is wrong; fix it, then run this cell again.")


def test_a_finished_demo_runs_and_says_nothing(capsys):
    with needs("Task 3", "one_hot") as demo:
        print("row 1 of W")
    assert capsys.readouterr().out == "row 1 of W\n" and demo.shown == ""


def test_an_interrupt_still_stops_the_cell():
    with pytest.raises(KeyboardInterrupt):
        with needs("Task 3", "one_hot"):
            raise KeyboardInterrupt
