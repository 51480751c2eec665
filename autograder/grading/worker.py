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
import secrets
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.checks import get_check, judge, reference_steps
from autograder.results import Verdict

from . import processes, replies
from .budget import Ticket, budgets
from .channel import ChannelError
from .files import remove_tree
from .results import Event, Graded, Output, Step
from .isolation import NAMESPACES
from .server import ServerError, warm_server

MAX_REPLY = 8 * 1024 * 1024  # bytes; a longer message is refused unread (see sandbox.MAX_STREAM)
GREETING_TIMEOUT = 60.0
"""Seconds a new sandbox may take to say hello (its own start-up: no student code yet)."""


@dataclass(frozen=True)
class Limits:
    """Resource limits for one submission."""

    timeout: float = 30.0
    """Seconds one cell (or one check) may run."""
    memory_mb: int = 2048
    """Memory a submission may allocate beyond its sandbox's warm imports (MiB): in each process
    (address space) and in all its processes together (see ``budget.py``); 0 = no limit."""
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
    total_seconds: float | None = None
    """Wall-clock seconds one submission may take in all, restarts and re-runs included
    (None: 10 x ``timeout``); the cells left when it is used up are not run."""
    output_bytes: int = 2 * 2**20
    """Characters of output (streams, results, errors) kept per submission; the rest is dropped."""

    @property
    def submission_seconds(self) -> float:
        return self.total_seconds if self.total_seconds is not None else 10 * self.timeout


class SandboxDied(Exception):
    """The sandbox stopped answering; ``kind`` is ``timeout``, ``crash``, ``memory`` or ``tampering``."""

    def __init__(self, kind: str, detail: str):
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


class SandboxProcess:
    """One live sandbox (forked by the warm server) and its private channel.

    ``job``: the folder with the submission's working copy (from ``WarmServer.new_job``);
    an empty one is made when None. ``assignment``: the only assignment whose checks it
    may run.
    """

    def __init__(self, limits: Limits, job: Path | None = None, unwritable: tuple[str, ...] = (),
                 assignment: str | None = None):
        self.server = warm_server(limits.isolation)
        self.limits = limits
        self._own_job = job is None
        self.job = self.server.new_job("sandbox") if job is None else job
        self.exit: dict | None = None
        self.ticket: Ticket | None = None
        self.root: int | None = None
        """The PID namespace's first process (or the loop itself without namespaces), once greeted."""
        self.loop: processes.Handle | None = None
        self.ended_processes = 0
        """Processes an earlier cell left running, ended before a later command."""
        self.seq, self.channel = self.server.spawn(
            self.job, memory_bytes=limits.memory_mb * 2**20, disk_bytes=limits.disk_mb * 2**20,
            processes=limits.processes, cpu_seconds=limits.cpu_seconds, max_message=MAX_REPLY,
            unwritable=unwritable, assignment=assignment)

    def _greet(self) -> None:
        """Learn the command loop's process from its greeting, then put the sandbox in its budget."""
        try:
            pid = self.channel.hello(GREETING_TIMEOUT)
        except ChannelError as exc:
            self.kill()
            raise SandboxDied("crash" if exc.kind != "tampering" else "tampering",
                              self._death() if exc.kind == "crash" else f"the sandbox did not start ({exc.detail})")
        isolated = self.limits.isolation == NAMESPACES
        self.root = processes.parent_of(pid) if isolated else pid  # the PID namespace's first process
        try:
            self.loop = processes.Handle(pid)
        except OSError:
            self.root = None
        if self.root is None:
            raise SandboxDied("crash", self._death())
        self.ticket = budgets().attach(self.seq, pid, self.root, include_root=not isolated,
                                       memory_bytes=self.limits.memory_mb * 2**20,
                                       processes_max=self.limits.processes, stop=lambda: self.server.kill(self.seq))

    def request(self, timeout: float, **command) -> dict:
        if self.channel.loop_pid is None:
            self._greet()
        # What earlier cells left running ends here: a process lives no longer than its cell,
        # and none runs beside a check (or can answer in the loop's place: see channel.py).
        root, loop_pid = self.root, self.channel.loop_pid
        if root is None or loop_pid is None:  # _greet raises before it leaves either unset
            raise SandboxDied("crash", self._death())
        self.ended_processes += processes.end_processes(root, keep=loop_pid)
        processes.continue_if_stopped(self.loop)  # one of them may have stopped the loop (SIGSTOP)
        nonce = secrets.token_hex(16)  # fresh per command: earlier student code cannot know it
        try:
            self.channel.send({**command, "nonce": nonce})
            raw = self.channel.receive(timeout)
        except ChannelError as exc:
            raise self._failed(exc, timeout) from None
        try:
            reply = replies.reply(raw, command["op"])
        except replies.Malformed as exc:
            self.kill()
            raise SandboxDied("tampering", f"the sandbox's answer was malformed ({exc})") from None
        if reply["nonce"] != nonce:
            self.kill()
            raise SandboxDied("tampering", "an unexpected message arrived on the sandbox's result channel")
        if self.channel.pending():  # a second answer to one command
            self.kill()
            raise SandboxDied("tampering", "more than one answer arrived for one command")
        return reply

    def _failed(self, exc: ChannelError, timeout: float) -> SandboxDied:
        if exc.kind == "crash":
            return SandboxDied(*self._stopped_by_budget() or ("crash", self._death()))
        stopped = exc.kind == "timeout" and processes.is_stopped(self.loop)
        self.kill()
        if stopped:  # only a process of the submission (same uid) can have stopped it
            return SandboxDied("tampering", f"no answer within {timeout:g} s: a process of the submission had "
                                            "stopped the sandbox's command loop (SIGSTOP)")
        by_budget = self._stopped_by_budget()
        if by_budget:
            return SandboxDied(*by_budget)
        if exc.kind == "timeout":
            return SandboxDied("timeout", f"no answer within {timeout:g} s (stopped)")
        return SandboxDied("tampering", exc.detail)

    def _stopped_by_budget(self) -> tuple[str, str] | None:
        if self.ticket is None:
            return None
        if self.ticket.exceeded:
            return "memory", self.ticket.exceeded
        self._wait(5)
        if self.ticket.oom_killed():
            return "memory", (f"its processes needed more than {self.ticket.limit_bytes / 2**20:.0f} MiB in all; "
                              "the kernel stopped them")
        return None

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
        self.channel.close()
        self.kill()
        if self.loop is not None:
            self.loop.close()
        if self.ticket is not None:
            budgets().release(self.ticket)
        if self._own_job:
            remove_tree(self.job)


def _command(step: Step) -> dict:
    if step.kind == "probe":
        return {"op": "probe", "check": step.check}
    return {"op": "exec", "code": step.code, "filename": f"<cell {step.cell_index}>"}


class _Clock:
    """A submission's wall-clock budget: what each command may take of it."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.deadline = time.monotonic() + limits.submission_seconds
        self.used_up = False

    def allowance(self) -> float:
        """Seconds the next command may take: its cell timeout, or what is left of the budget."""
        return min(self.limits.timeout, max(self.deadline - time.monotonic(), 0.0))

    def cut_short(self, allowed: float) -> bool:
        """Whether a command that timed out after ``allowed`` s was stopped by the budget (not its timeout)."""
        if allowed < self.limits.timeout:
            self.used_up = True
        return self.used_up

    def out(self) -> bool:
        if not self.used_up and self.deadline - time.monotonic() <= 0:
            self.used_up = True
        return self.used_up

    def why(self) -> str:
        return f"not run: the submission used up its {self.limits.submission_seconds:g} s in all"


class _Kept:
    """A submission's output budget: characters of output kept so far."""

    def __init__(self, limits: Limits):
        self.left = limits.output_bytes
        self.dropped = False

    def keep(self, text: str) -> str:
        if len(text) <= self.left:
            self.left -= len(text)
            return text
        kept, self.left = text[:self.left], 0
        self.dropped = True
        return kept + "\n[output dropped: this submission's output budget is used up]\n"


def run_steps(steps: list[Step], limits: Limits, graded: Graded, *, job: Path | None = None,
              unwritable: tuple[str, ...] = (), assignment: str | None = None) -> None:
    """Run every step in sandboxes, restarting after deaths; fill ``graded``.

    ``job``: the folder with the submission's working copy (each sandbox gets a private
    copy of it); ``unwritable``: folders (besides the grader and the Python
    installation) it may not write into when there is no OS boundary; ``assignment``:
    the assignment whose checks the probes run (default: ``graded.assignment``).
    Everything this submission's sandboxes do is bounded by ``limits``: per cell, and in
    all (``total_seconds``, ``output_bytes``, memory: ``budget.py``).
    """
    sandbox = functools.partial(SandboxProcess, limits, job, unwritable, assignment or graded.assignment)
    started = time.perf_counter()
    clock, kept = _Clock(limits), _Kept(limits)
    box = None
    replay: list[Step] = []  # exec steps that completed: re-run after a restart
    poisoned = False  # the last restart itself died: give up on the rest
    try:
        for step in steps:
            if step.kind == "skip":
                continue
            if clock.out():
                graded.outputs[step.cell_index] = _not_run(step, clock.why())
                continue
            if poisoned:
                graded.outputs[step.cell_index] = _not_run(step, "not run: the kernel kept dying")
                continue
            if box is None:
                box, poisoned = _fresh_sandbox(sandbox, replay, limits, graded, clock)
                if poisoned or box is None:
                    graded.outputs[step.cell_index] = _not_run(step, clock.why() if clock.out()
                                                               else "not run: the kernel kept dying")
                    continue
            allowed = clock.allowance()
            try:
                reply = box.request(allowed, **_command(step))
            except SandboxDied as death:
                if death.kind == "timeout" and clock.cut_short(allowed):
                    death = SandboxDied("timeout", f"stopped after {allowed:.3g} s: the submission used up its "
                                                   f"{limits.submission_seconds:g} s in all")
                graded.note(Event(death.kind, death.detail, step.grade_id or f"cell {step.cell_index}"))
                graded.outputs[step.cell_index] = _died(step, death)
                box.close()
                box = None
                continue
            finally:
                if box is not None and box.ended_processes:
                    graded.note(Event("sandbox", f"{box.ended_processes} process(es) left running by an earlier "
                                                 "cell were ended (a process lives no longer than its cell)",
                                      step.grade_id or f"cell {step.cell_index}"))
                    box.ended_processes = 0
            graded.outputs[step.cell_index] = _output(step, reply, graded, kept)
            if step.kind == "exec":
                replay.append(step)
    finally:
        if box is not None:
            box.close()
        if clock.used_up:
            graded.note(Event("timeout", f"the submission used up its {limits.submission_seconds:g} s in all; "
                                         "the cells left were not run (scored 0)"))
        if kept.dropped:
            graded.note(Event("output", f"printed more than {limits.output_bytes // 1024} KiB in all; "
                                        "the rest was not kept"))
        graded.seconds = time.perf_counter() - started


def _fresh_sandbox(sandbox, replay: list[Step], limits: Limits, graded: Graded, clock: _Clock
                   ) -> tuple[SandboxProcess | None, bool]:
    restarting = bool(graded.outputs)
    if restarting:
        if graded.restarts >= limits.max_restarts:
            graded.note(Event("crash", f"gave up after {graded.restarts} restarts of the kernel"))
            return None, True
        graded.restarts += 1
    try:
        box = sandbox()
    except ServerError as exc:  # the warm server died (it is started again for the next submission)
        graded.note(Event("crash", f"no sandbox could be started: {exc}"))
        return None, True
    for step in replay:
        allowed = clock.allowance()
        try:
            box.request(allowed, **_command(step))
        except SandboxDied as death:
            if not (death.kind == "timeout" and clock.cut_short(allowed)):
                graded.note(Event(death.kind, f"while re-running earlier cells after a restart: {death.detail}",
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
    ename = {"timeout": "CellTimeoutError", "crash": "DeadKernelError",
             "memory": "DeadKernelError"}.get(death.kind, "GradingChannelError")
    message = f"{death.detail}; the kernel was restarted and earlier cells re-run"
    out = Output(error={"ename": ename, "evalue": message, "traceback": [f"{ename}: {message}"]})
    if step.is_test:
        out.verdict = Verdict(False, message)
    return out


def _output(step: Step, reply: dict, graded: Graded, kept: _Kept) -> Output:
    """The step's output from a checked answer (``replies.reply``), within the output budget."""
    out = Output(stdout=kept.keep(reply["stdout"]), stderr=kept.keep(reply["stderr"]))
    where = step.grade_id or f"cell {step.cell_index}"
    if reply["refused"]:
        graded.note(Event("tampering", f"the grader refused: {'; '.join(sorted(set(reply['refused'])))[:300]}", where))
    if reply["noticed"]:
        graded.note(Event("sandbox", f"{'; '.join(reply['noticed'])[:400]} (contained by the sandbox)", where))
    if step.kind == "exec":
        out.result = kept.keep(reply["result"]) if reply["result"] is not None else None
        error = reply["error"]
        if error is not None:
            error = {"ename": error["ename"], "evalue": kept.keep(error["evalue"]),
                     "traceback": [kept.keep(line) for line in error["traceback"]]}
        out.error = error
        if out.error and _is_memory_error(out.error):
            graded.note(Event("memory", f"{out.error['ename']}: {out.error['evalue'][:120]}", where))
        if step.is_test:  # a test cell without a registered check: judged in the kernel, as nbgrader does
            out.verdict = Verdict(False, f"{out.error['ename']}: {out.error['evalue']}") if out.error else Verdict(True)
        return out
    if reply["threads"]:
        graded.note(Event("tampering", "threads started by the submission were running when a check "
                                       "was due; the check was not run", where))
    out.steps = reply["steps"]
    out.verdict = judge_probe(step.check, out.steps, reply["probe_error"])
    return out


def judge_probe(key: str, steps: list, probe_error) -> Verdict:
    """Judge the steps a probe reported from the sandbox against the reference's.

    ``steps`` are checked field by field first (``replies.steps``): a report of the wrong
    shape fails the check, whatever it claims."""
    reference = reference_steps(get_check(key))
    try:
        steps = replies.steps(steps)
        verdict = judge(steps, reference[:len(steps)])
    except (replies.Malformed, KeyError, TypeError, AttributeError, ValueError, IndexError):
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


def _is_memory_error(error: dict) -> bool:
    return error["ename"] == "MemoryError" or "can't allocate memory" in error["evalue"]
