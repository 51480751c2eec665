"""needs: a demo cell that uses the student's own functions says, in words, which task to finish.

A released notebook is run from the top (*Run All*) before every task is done. A cell that
shows a concept with the student's function (``one_hot([1], 5) @ W``) would stop there with
a ``NotImplementedError`` traceback, and every widget after it would stay blank. Written as

    with needs("Task 3", "one_hot"):
        print(one_hot([1], 5) @ W)

the cell prints what to do instead (finish Task 3, then run the cell again) and the run goes
on. Widgets inside the block are shown with ``display(...)`` (a ``with`` block has no last
expression). Nothing here knows the tasks' answers.
"""
from __future__ import annotations


class needs:  # noqa: N801 - used like a statement: `with needs("Task 3", "one_hot"):`
    """A context manager for a demo that needs the student's finished ``functions`` (``task``:
    how the notebook names the task, e.g. ``"Task 3"`` or ``"Tasks 1 and 2"``).

    An exception raised in the block is not shown as a traceback: it is told in one line,
    with what to do, and the notebook runs on. ``shown`` holds that line (``""`` when the
    block ran through).
    """

    def __init__(self, task: str, *functions: str):
        self.task = task
        self.functions = functions
        self.shown = ""

    def __enter__(self) -> needs:
        return self

    def __exit__(self, kind, error, traceback) -> bool:
        if kind is None or not issubclass(kind, Exception):
            return False  # KeyboardInterrupt and the like stop the cell as usual
        self.shown = self.explain(error)
        print(self.shown)
        return True

    def explain(self, error: BaseException) -> str:
        """What to do, in words, for ``error`` raised by the demo."""
        quoted = [f"`{name}`" for name in self.functions]
        names = " and ".join([", ".join(quoted[:-1]), quoted[-1]] if len(quoted) > 2 else quoted)
        yours = f"your {names} ({self.task})" if names else self.task
        if isinstance(error, NotImplementedError):
            return (f"This cell shows {yours} at work, which is not written yet (it still raises "
                    f"NotImplementedError): finish {self.task}, then run this cell again.")
        if isinstance(error, NameError):
            return (f"This cell needs what an earlier cell makes with {yours}, and that cell did not run to the "
                    f"end: finish {self.task}, run the cells above again, then this one.")
        message = str(error).strip().splitlines()[0] if str(error).strip() else ""
        said = f"{type(error).__name__}: {message}" if message else type(error).__name__
        return (f"This cell uses {yours}, and it stopped with {said}. The test cells of {self.task} say what "
                "is wrong; fix it, then run this cell again.")
