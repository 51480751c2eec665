"""Run one submission's steps in sandboxes forked from a warm server, and judge them.

This is the grading-process side. It starts a sandbox (see ``sandbox.py``) per
submission, sends one command at a time, waits for the answer with a per-cell
timeout, and judges probe results here, where student code cannot reach.

When a sandbox dies (``os._exit``, a segfault, the memory limit, a timeout, a
garbled answer), only the step that was running is lost: a fresh sandbox re-runs
the earlier code cells (outputs discarded, crashing cells skipped) and grading
continues with the next step. If re-running the earlier cells kills the new
sandbox too, or after ``max_restarts`` restarts, the remaining steps are not run
(their test cells score 0).
"""
from __future__ import annotations

import functools
import json
import secrets
import shutil
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.checks import get_check, judge, reference_steps
from autograder.results import Verdict

from .results import Event, Graded, Output, Step
from .isolation import NAMESPACES
from .server import ServerError, warm_server

MAX_REPLY = 8 * 1024 * 1024  # bytes; a longer message is refused unread (see sandbox.MAX_STREAM)


@dataclass(frozen=True)
class Limits:
    """Resource limits for one submission."""

    timeout: float = 30.0
    """Seconds one cell (or one check) may run."""
    memory_mb: int = 2048
    """Address space a sandbox may add to the warm server's (MiB); 0 = no limit."""
    max_restarts: int = 5
    """Sandbox restarts allowed per submission before the remaining cells are given up."""
    isolation: str = NAMESPACES
    """``namespaces`` (an OS sandbox per submission, see ``isolation.py``) or ``none``."""
    disk_mb: int = 256
    """Bytes a sandbox may write (its folder and /tmp each; also the largest file), MiB."""
    processes: int = 64
    """Processes and threads a sandbox may have at once (RLIMIT_NPROC of its own uid)."""
    cpu_seconds: int = 600
    """CPU time one sandbox may use in all (RLIMIT_CPU)."""


class SandboxDied(Exception):
    """The sandbox stopped answering; ``kind`` is ``timeout``, ``crash`` or ``tampering``."""

    def __init__(self, kind: str, detail: str):
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


class SandboxProcess:
    """One live sandbox (forked by the warm server) and its two private pipes.

    ``job``: the folder with the submission's working copy (from ``WarmServer.new_job``);
    an empty one is made when None.
    """

    def __init__(self, limits: Limits, job: Path | None = None, unwritable: tuple[str, ...] = ()):
        self.server = warm_server(limits.isolation)
        self._own_job = job is None
        self.job = self.server.new_job("sandbox") if job is None else job
        self.exit: dict | None = None
        self.seq, self.commands, self.replies = self.server.spawn(
            self.job, memory_bytes=limits.memory_mb * 2**20, disk_bytes=limits.disk_mb * 2**20,
            processes=limits.processes, cpu_seconds=limits.cpu_seconds, unwritable=unwritable)

    def request(self, timeout: float, **command) -> dict:
        nonce = secrets.token_hex(16)  # fresh per command: earlier student code cannot know it
        try:
            self.commands.send_bytes(json.dumps({**command, "nonce": nonce}).encode())
        except OSError:
            raise SandboxDied("crash", self._death()) from None
        if not self.replies.poll(timeout):
            self.kill()
            raise SandboxDied("timeout", f"no answer within {timeout:g} s (stopped)")
        # A half-written message would block the read forever: a watchdog kills
        # the sandbox, which turns the wait into an end of file.
        watchdog = threading.Timer(timeout, self.server.kill, (self.seq,))
        watchdog.start()
        try:
            reply = json.loads(self.replies.recv_bytes(MAX_REPLY))
        except (EOFError, ConnectionError):
            raise SandboxDied("crash", self._death()) from None
        except (OSError, ValueError, UnicodeDecodeError):
            self.kill()
            raise SandboxDied("tampering", "the sandbox's result channel carried garbled or oversized data") from None
        finally:
            watchdog.cancel()
        if not isinstance(reply, dict) or reply.get("nonce") != nonce:
            self.kill()
            raise SandboxDied("tampering", "an unexpected message arrived on the sandbox's result channel")
        if self.replies.poll(0):  # a second answer to one command: somebody else is writing
            self.kill()
            raise SandboxDied("tampering", "more than one answer arrived for one command")
        return reply

    def _wait(self, timeout: float) -> dict | None:
        if self.exit is None:
            self.exit = self.server.wait(self.seq, timeout)
        return self.exit

    def _death(self) -> str:
        ended = self._wait(5)
        if ended is None:
            self.kill()
            return "the sandbox closed its result channel (suspected tampering)"
        if ended.get("server"):
            return f"the grading server stopped ({self.server.log_tail()})"
        if "signal" in ended:
            try:
                name = signal.Signals(ended["signal"]).name
            except ValueError:
                name = str(ended["signal"])
            hint = {signal.SIGKILL: " (killed: probably out of memory)",
                    signal.SIGXCPU: " (its CPU time limit)", signal.SIGXFSZ: " (its file size limit)"}
            return f"the kernel died with signal {name}{hint.get(ended['signal'], '')}"
        if ended.get("code") == 70:
            return "the sandbox could not start (see the grading log)"
        return f"the kernel exited with status {ended.get('code')} (os._exit or similar)"

    def kill(self) -> None:
        """Kill the sandbox and everything it started, and wait until they are gone."""
        if self.exit is None:
            self.server.kill(self.seq)
            self._wait(10)

    def close(self) -> None:
        for conn in (self.commands, self.replies):
            try:
                conn.close()
            except OSError:
                pass
        self.kill()
        if self._own_job:
            shutil.rmtree(self.job, ignore_errors=True)


def _command(step: Step) -> dict:
    if step.kind == "probe":
        return {"op": "probe", "check": step.check}
    return {"op": "exec", "code": step.code, "filename": f"<cell {step.cell_index}>"}


def run_steps(steps: list[Step], limits: Limits, graded: Graded, *, job: Path | None = None,
              unwritable: tuple[str, ...] = ()) -> None:
    """Run every step in sandboxes, restarting after deaths; fill ``graded``.

    ``job``: the folder with the submission's working copy (each sandbox gets a private
    copy of it); ``unwritable``: folders (besides the grader and the Python
    installation) it may not write into when there is no OS boundary.
    """
    sandbox = functools.partial(SandboxProcess, limits, job, unwritable)
    started = time.perf_counter()
    box = None
    replay: list[Step] = []  # exec steps that completed: re-run after a restart
    poisoned = False  # the last restart itself died: give up on the rest
    try:
        for step in steps:
            if step.kind == "skip":
                continue
            if poisoned:
                graded.outputs[step.cell_index] = _not_run(step, "not run: the kernel kept dying")
                continue
            if box is None:
                box, poisoned = _fresh_sandbox(sandbox, replay, limits, graded)
                if poisoned or box is None:
                    graded.outputs[step.cell_index] = _not_run(step, "not run: the kernel kept dying")
                    continue
            try:
                reply = box.request(limits.timeout, **_command(step))
            except SandboxDied as death:
                graded.events.append(Event(death.kind, death.detail, step.grade_id or f"cell {step.cell_index}"))
                graded.outputs[step.cell_index] = _died(step, death)
                box.close()
                box = None
                continue
            graded.outputs[step.cell_index] = _output(step, reply, graded)
            if step.kind == "exec":
                replay.append(step)
    finally:
        if box is not None:
            box.close()
        graded.seconds = time.perf_counter() - started


def _fresh_sandbox(sandbox, replay: list[Step], limits: Limits, graded: Graded) -> tuple[SandboxProcess | None, bool]:
    restarting = bool(graded.outputs)
    if restarting:
        if graded.restarts >= limits.max_restarts:
            graded.events.append(Event("crash", f"gave up after {graded.restarts} restarts of the kernel"))
            return None, True
        graded.restarts += 1
    try:
        box = sandbox()
    except ServerError as exc:  # the warm server died (it is started again for the next submission)
        graded.events.append(Event("crash", f"no sandbox could be started: {exc}"))
        return None, True
    for step in replay:
        try:
            box.request(limits.timeout, **_command(step))
        except SandboxDied as death:
            graded.events.append(Event(death.kind, f"while re-running earlier cells after a restart: {death.detail}",
                                       step.grade_id or f"cell {step.cell_index}"))
            box.close()
            return None, True
    return box, False


def _not_run(step: Step, why: str) -> Output:
    out = Output(error={"ename": "CellNotRun", "evalue": why, "traceback": [f"CellNotRun: {why}"]})
    if step.is_test:
        out.verdict = Verdict(False, why)
    return out


def _died(step: Step, death: SandboxDied) -> Output:
    ename = {"timeout": "CellTimeoutError", "crash": "DeadKernelError"}.get(death.kind, "GradingChannelError")
    message = f"{death.detail}; the kernel was restarted and earlier cells re-run"
    out = Output(error={"ename": ename, "evalue": message, "traceback": [f"{ename}: {message}"]})
    if step.is_test:
        out.verdict = Verdict(False, message)
    return out


def _output(step: Step, reply: dict, graded: Graded) -> Output:
    out = Output(stdout=_text(reply.get("stdout")), stderr=_text(reply.get("stderr")))
    where = step.grade_id or f"cell {step.cell_index}"
    refused = [r for r in reply.get("refused") or [] if isinstance(r, str)]
    if refused:
        graded.events.append(Event("tampering", f"the grader refused: {'; '.join(sorted(set(refused)))[:300]}", where))
    noticed = [n for n in reply.get("noticed") or [] if isinstance(n, str)]
    if noticed:
        graded.events.append(Event("sandbox", f"{'; '.join(noticed)[:400]} (contained by the sandbox)", where))
    if reply.get("threads"):
        graded.events.append(Event("tampering", "threads started by the submission were running when a check "
                                   "was due; the check was not run", where))
    if step.kind == "exec":
        out.result = reply.get("result") if isinstance(reply.get("result"), str) else None
        out.error = _error_dict(reply.get("error"))
        if out.error and _is_memory_error(out.error):
            graded.events.append(Event("memory", f"{out.error['ename']}: {out.error['evalue'][:120]}",
                                       step.grade_id or f"cell {step.cell_index}"))
        if step.is_test:  # a test cell without a registered check: judged in the kernel, as nbgrader does
            out.verdict = Verdict(False, f"{out.error['ename']}: {out.error['evalue']}") if out.error else Verdict(True)
        return out
    steps = reply.get("steps")
    out.steps = steps if isinstance(steps, list) else []
    out.verdict = judge_probe(step.check, out.steps, reply.get("probe_error"))
    return out


def judge_probe(key: str, steps: list, probe_error) -> Verdict:
    """Judge the steps a probe reported from the sandbox against the reference's."""
    reference = reference_steps(get_check(key))
    try:
        verdict = judge(steps, reference[:len(steps)])
    except (KeyError, TypeError, AttributeError, ValueError, IndexError):
        return Verdict(False, "the check's report from the kernel was malformed (suspected tampering)")
    if not verdict.passed:
        return verdict
    if len(steps) < len(reference):
        if isinstance(probe_error, dict):
            return Verdict(False, f"the check could not continue: {_text(probe_error.get('name'))}: "
                                  f"{_text(probe_error.get('message'))}")
        return Verdict(False, "the check stopped early (the kernel did not report every step)")
    return Verdict(True)


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _error_dict(value) -> dict | None:
    if not isinstance(value, dict):
        return None
    tb = value.get("traceback")
    return {"ename": _text(value.get("ename")) or "Error", "evalue": _text(value.get("evalue")),
            "traceback": [t for t in tb if isinstance(t, str)] if isinstance(tb, list) else []}


def _is_memory_error(error: dict) -> bool:
    return error["ename"] == "MemoryError" or "can't allocate memory" in error["evalue"]
