"""Turn a repaired notebook into the steps the sandbox runs, in notebook order.

- an autograded test cell whose grade_id names a registered check becomes a
  ``probe`` step (the cell's text is never executed: the check is the test);
- a test cell without a registered check falls back to executing its source
  version in the kernel, as nbgrader does (reported as judged in-kernel);
- every other code cell becomes an ``exec`` step with IPython syntax already
  transformed; a cell that does not compile gets its SyntaxError here, and the
  probes of the names only it defines are told so (:func:`explain_undefined`);
- a notebook that could not be read runs nothing: each test cell fails, saying so.
"""
from __future__ import annotations

from autograder.checks import get_check
from autograder.checks._feedback import compile_error, not_compiled
from autograder.results import NOTHING_GRADED, Verdict

from .repair import SourceNotebook, defined_names, nbgrader_meta
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


def plan(nb, assignment: str, source: SourceNotebook, unreadable: str | None = None
         ) -> tuple[list[Step], dict[int, Output], list[Event]]:
    """Steps to run, outputs already known (syntax errors) and events (in-kernel tests, tampering).

    ``unreadable``: why the submitted file could not be read (``nb`` then holds only the
    source's restored cells): nothing runs, and every test cell fails with that reason.
    """
    if unreadable is not None:
        return _nothing_to_run(nb, source, unreadable)
    steps: list[Step] = []
    known: dict[int, Output] = {}
    events: list[Event] = []
    uncompiled: dict[str, str] = {}  # name -> why the cell that defines it did not compile
    compiled: set[str] = set()  # names defined by cells that compile
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
            message = compile_error(exc)
            known[index] = Output(error={"ename": type(exc).__name__, "evalue": message.partition(": ")[2],
                                         "traceback": [message]},
                                  verdict=Verdict(False, message) if is_test else None)
            steps.append(Step(index, "skip", grade_id=gid, is_test=is_test))
            names = defined_names(cell.source) | ({gid} if src and src.solution else set())
            uncompiled.update({name: message for name in names})
            continue
        compiled |= defined_names(cell.source)
        steps.append(Step(index, "exec", code=code, grade_id=gid, is_test=is_test))
    broken = {name: why for name, why in uncompiled.items() if name not in compiled}
    if broken:
        steps = [_with_undefined(step, broken) for step in steps]
    return steps, known, events


def _with_undefined(step: Step, broken: dict[str, str]) -> Step:
    if step.kind != "probe":
        return step
    undefined = tuple((name, not_compiled(name, broken[name])) for name in get_check(step.check).uses
                      if name in broken)
    return Step(step.cell_index, step.kind, check=step.check, grade_id=step.grade_id, is_test=step.is_test,
                undefined=undefined) if undefined else step


def explain_undefined(steps: list[Step], outputs: dict[int, Output]) -> None:
    """A probe that found a name missing which only a cell that did not compile defines says so.

    Judged after the run: a name the plan thought undefined may still have been defined
    another way (an import, ``exec``), and then its probe ran as usual.
    """
    for step in steps:
        out = outputs.get(step.cell_index)
        if not step.undefined or out is None or out.verdict is None or out.verdict.passed or not out.steps:
            continue
        last = out.steps[-1]
        if isinstance(last, dict) and last.get("kind") == "missing" and last.get("present") is False:
            reason = dict(step.undefined).get(str(last.get("label")))
            if reason is not None:
                out.verdict = Verdict(False, reason)


def _nothing_to_run(nb, source: SourceNotebook, why: str) -> tuple[list[Step], dict[int, Output], list[Event]]:
    steps: list[Step] = []
    known: dict[int, Output] = {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        gid = (nbgrader_meta(cell) or {}).get("grade_id", "")
        src = source.get(gid) if gid else None
        is_test = bool(src and src.is_test)
        if is_test:
            known[index] = Output(verdict=Verdict(False, f"{why}, {NOTHING_GRADED}"))
        steps.append(Step(index, "skip", grade_id=gid, is_test=is_test))
    return steps, known, []
