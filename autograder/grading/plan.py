"""Turn a repaired notebook into the steps the sandbox runs, in notebook order.

- an autograded test cell whose grade_id names a registered check becomes a
  ``probe`` step (the cell's text is never executed: the check is the test);
- a test cell without a registered check falls back to executing its source
  version in the kernel, as nbgrader does (reported as judged in-kernel);
- every other code cell becomes an ``exec`` step with IPython syntax already
  transformed; a cell that does not compile gets its SyntaxError here.
"""
from __future__ import annotations

from autograder.checks import get_check

from .repair import SourceNotebook, nbgrader_meta
from autograder.results import Verdict

from .results import Event, Output, Step
from .transform import suspicious, to_python


def registered_check(assignment: str, grade_id: str) -> str | None:
    """The key of the check named after a test cell, if one is registered."""
    key = f"{assignment}.{grade_id}"
    try:
        get_check(key)
    except KeyError:
        return None
    return key


def plan(nb, assignment: str, source: SourceNotebook) -> tuple[list[Step], dict[int, Output], list[Event]]:
    """Steps to run, outputs already known (syntax errors) and events (in-kernel tests, tampering)."""
    steps: list[Step] = []
    known: dict[int, Output] = {}
    events: list[Event] = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = nbgrader_meta(cell) or {}
        gid = meta.get("grade_id", "")
        src = source.get(gid) if gid else None
        is_test = bool(src and src.is_test)
        if is_test:
            key = registered_check(assignment, gid)
            if key:
                steps.append(Step(index, "probe", check=key, grade_id=gid, is_test=True))
                continue
            events.append(Event("in-kernel", "no registered check: judged by running the cell in the kernel", gid))
        elif not (src and src.locked):
            for what in suspicious(cell.source):
                events.append(Event("tampering", f"student code {what}", gid or f"cell {index}"))
        code = to_python(cell.source)
        try:
            compile(code, f"<cell {index}>", "exec")
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            message = f"{type(exc).__name__}: {exc}"
            known[index] = Output(error={"ename": type(exc).__name__, "evalue": str(exc), "traceback": [message]},
                                  verdict=Verdict(False, message) if is_test else None)
            steps.append(Step(index, "skip", grade_id=gid, is_test=is_test))
            continue
        steps.append(Step(index, "exec", code=code, grade_id=gid, is_test=is_test))
    return steps, known, events
