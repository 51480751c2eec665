"""What travels between the grading process and a cluster worker: plain JSON, checked on arrival.

To the worker (``task``): the submission's planned steps, its limits and a tar of its
working copy's files (the source assignment's files travel once per run, ``bundle``).
From the worker (``read_result``): one JSON text, at most ``MAX_RESULT`` characters,
rebuilt field by field the way ``replies.py`` rebuilds a sandbox's answer: only
``str``, ``int``, ``float``, ``bool``, ``None``, lists and dicts of the shapes an honest
worker sends, for cells the plan holds. Then the grading process judges again
(``judge``): a test cell passes only if *it* finds so (a probe's steps against its own
reference, an in-kernel test cell without an error); the worker's words are kept only
for a cell that failed without reaching its check (a timeout, a crash, not run).
"""
from __future__ import annotations

import io
import json
import tarfile
from dataclasses import asdict
from pathlib import Path

from autograder.results import Verdict

from . import replies
from .records import MAX_EVENTS, Event, Graded, Output, Step
from .worker import Limits, judge_probe

PROTOCOL = 1
MAX_BUNDLE = 256 * 2**20
"""Bytes of files (as a tar) one submission's working copy may send: the sandbox's own disk limit."""
MAX_RESULT = 64 * 2**20
"""Characters of one worker's result: 2 MiB of kept output, 8 MiB per check's steps, with room."""
EVENT_KINDS = ("timeout", "crash", "memory", "repair", "tampering", "sandbox", "in-kernel", "error")


class BadResult(ValueError):
    """A worker's result does not have the shape an honest worker gives it."""


# -- to the worker ----------------------------------------------------------------

def bundle(folder: Path) -> bytes:
    """The files of ``folder`` (already copied by ``files.copy_files``: no link out, no special file) as a tar."""
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w:gz", compresslevel=1) as tar:  # an empty tar is 10 KiB of zeros
        for path in sorted(folder.rglob("*")):
            tar.add(path, arcname=str(path.relative_to(folder)), recursive=False)
    if data.tell() > MAX_BUNDLE:
        raise ValueError(f"its files take {data.tell() / 2**20:.0f} MiB, more than the {MAX_BUNDLE // 2**20} MiB "
                         "a cluster task carries")
    return data.getvalue()


def unbundle(data: bytes, into: Path) -> None:
    """Extract a ``bundle`` into ``into`` (tarfile's ``data`` filter: nothing lands outside it)."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
        tar.extractall(into, filter="data")


def task(steps: list[Step], limits: Limits, graded: Graded) -> dict:
    """The plain data a worker needs to run ``graded``'s submission as ``runner._execute`` would here:
    its steps, limits, the cells already known (their outputs stay here) and the events so far."""
    return {"protocol": PROTOCOL, "steps": [asdict(step) for step in steps], "limits": asdict(limits),
            "student": graded.student, "assignment": graded.assignment, "notebook": graded.notebook,
            "known": sorted(graded.outputs), "events": [[e.kind, e.detail, e.grade_id] for e in graded.events]}


def graded_of(task: dict) -> Graded:
    """The worker's ``Graded`` to fill: known cells as placeholders (a restart is counted as it is here)."""
    graded = Graded(task["student"], task["assignment"], task["notebook"],
                    outputs={index: Output() for index in task["known"]})
    graded.events = [Event(*event) for event in task["events"]]
    return graded


def steps_of(task: dict) -> list[Step]:
    return [Step(**{**step, "undefined": tuple(tuple(pair) for pair in step["undefined"])}) for step in task["steps"]]


def limits_of(task: dict) -> Limits:
    return Limits(**task["limits"])


# -- from the worker ----------------------------------------------------------------

def result(graded: Graded, known: list[int], isolation: str, budget: str) -> str:
    """What a worker sends back for one graded submission (before the grading process judges it)."""
    here = set(known)
    outputs = {str(index): {"stdout": out.stdout, "stderr": out.stderr, "result": out.result, "error": out.error,
                            "steps": out.steps, "probe_error": out.probe_error,
                            "message": None if out.verdict is None or out.verdict.passed else out.verdict.message}
               for index, out in graded.outputs.items() if index not in here}
    return json.dumps({"protocol": PROTOCOL, "outputs": outputs, "restarts": graded.restarts, "seconds": graded.seconds,
                       "events": [[e.kind, e.detail, e.grade_id] for e in graded.events],
                       "isolation": isolation, "budget": budget})


def refusal(reason: str) -> str:
    """What a worker that cannot grade (no namespaces here) sends back instead."""
    return json.dumps({"protocol": PROTOCOL, "refused": reason})


def read_result(text, steps: list[Step], limits: Limits) -> dict:
    """A worker's result, rebuilt from its checked fields: ``{"outputs": {index: Output}, "events",
    "restarts", "seconds", "isolation", "budget"}`` or ``{"refused": reason}``. Raises :class:`BadResult`."""
    if type(text) is not str or len(text) > MAX_RESULT:
        raise BadResult("not a text of at most 64 MiB")
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise BadResult(f"not JSON ({type(exc).__name__})") from None
    if type(value) is not dict or value.get("protocol") != PROTOCOL:
        raise BadResult("not a result of this grader's protocol")
    try:
        if "refused" in value:
            return {"refused": replies.words(value["refused"], 1000)}
        return _result(value, steps, limits)
    except replies.Malformed as exc:
        raise BadResult(str(exc)) from None


def _result(value: dict, steps: list[Step], limits: Limits) -> dict:
    planned = {step.cell_index: step for step in steps if step.kind != "skip"}
    outputs = value.get("outputs")
    if type(outputs) is not dict or len(outputs) > len(planned):
        raise BadResult("the outputs")
    kept = limits.output_bytes + 4096  # the budget, and the line that says the rest was dropped
    clean: dict[int, Output] = {}
    for key, out in outputs.items():
        if not key.isdigit() or int(key) not in planned or type(out) is not dict:
            raise BadResult("an output for a cell the plan does not run")
        step = planned[int(key)]
        message = out.get("message")
        clean[step.cell_index] = Output(
            stdout=replies.text(out.get("stdout"), kept), stderr=replies.text(out.get("stderr"), kept),
            result=replies.optional_text(out.get("result"), kept), error=replies.error(out.get("error")),
            steps=None if out.get("steps") is None else replies.steps(out.get("steps")),
            probe_error=_probe_error(out.get("probe_error")),
            verdict=None if message is None else Verdict(False, replies.words(message, 8000)))
    events = value.get("events")
    if type(events) is not list or len(events) > MAX_EVENTS:
        raise BadResult("the events")
    clean_events = []
    for event in events:
        if type(event) is not list or len(event) != 3 or event[0] not in EVENT_KINDS:
            raise BadResult("an event")
        clean_events.append(Event(event[0], replies.text(event[1], 4000), replies.text(event[2], 1000)))
    restarts, seconds = value.get("restarts"), value.get("seconds")
    if not isinstance(restarts, int) or type(restarts) is bool or not 0 <= restarts <= limits.max_restarts:
        raise BadResult("the restarts")
    if not isinstance(seconds, (int, float)) or type(seconds) is bool or not 0 <= seconds < 1e7:
        raise BadResult("the time taken")
    return {"outputs": clean, "events": clean_events, "restarts": restarts, "seconds": float(seconds),
            "isolation": replies.words(value.get("isolation"), 40), "budget": replies.words(value.get("budget"), 1000)}


def _probe_error(value) -> dict | None:
    if value is None:
        return None
    if type(value) is not dict:
        raise BadResult("a probe error")
    return {"name": replies.words(value.get("name"), 200), "message": replies.words(value.get("message"), 1000)}


def judge(steps: list[Step], outputs: dict[int, Output]) -> None:
    """Set every test cell's verdict here, in the grading process, from the checked outputs.

    A probe that reported steps is judged against this process's reference (as ``worker.py``
    does locally); an in-kernel test cell passes when it raised nothing; a cell that did not
    get that far (timeout, crash, not run) fails with the worker's words for why."""
    for step in steps:
        out = outputs.get(step.cell_index)
        if out is None or not step.is_test:
            if out is not None:
                out.verdict = None
            continue
        if step.kind == "probe" and out.steps is not None:
            out.verdict = judge_probe(step.check, out.steps, out.probe_error)
        elif step.kind == "exec" and out.error is None:
            out.verdict = Verdict(True)
        elif out.verdict is None:  # failed, and the worker gave no reason: say what the client saw
            error = out.error or {"ename": "Error", "evalue": "no output"}
            out.verdict = Verdict(False, f"{error['ename']}: {error['evalue']}")
