"""The sandbox: the process where one submission's code runs.

It is forked from a warm server (``zygote.py``, which imported this module), so torch, numpy, IPython and the check probes are already imported and
a submission starts in milliseconds instead of seconds.

The sandbox decides nothing. It runs what the grading process asks, one command
at a time, and answers each on its private channel (never stdout, which is captured
as cell output; see ``channel.py``) with JSON echoing the command's random nonce.
Its first message, before any student code exists, is a greeting that tells the
grading process which process the command loop is: only that process's answers
count. The loop's process is not dumpable, so a process the submission forks
cannot read or write its memory (ptrace, ``/proc/<pid>/mem``). Student cells run
with plain ``exec`` on code the grading process has already transformed from
IPython syntax, so input transformers, ``post_run_cell`` callbacks or a patched
``showtraceback`` registered by a student have no effect. Probes record plain
observations (see ``autograder.checks._observe``); the verdicts are computed in
the grading process, out of the student's reach. What keeps the student's code
from rewriting the probes themselves is ``integrity.py``.
"""
from __future__ import annotations

import ast
import importlib
import importlib.abc
import io
import json
import linecache
import os
import resource
import sys
import traceback

import numpy  # noqa: F401  (warm import: every assignment uses it)
import torch
from IPython.core.interactiveshell import InteractiveShell
from IPython.lib.pretty import pretty
from traitlets.config import Config

from autograder import checks

from . import watch
from .channel import HELLO
from .integrity import Guard, other_threads

# One thread per sandbox: we parallelise across processes, and an OpenMP pool
# created before fork would not survive into the children.
torch.set_num_threads(1)

# Warm imports the notebooks make (ipywidgets alone costs ~0.1 s per submission
# otherwise). Optional: a course without the widgets package still grades.
for _module in ("widgets", "ipywidgets"):
    try:
        _warm = importlib.import_module(_module)
        for _name in getattr(_warm, "__all__", ()):  # lazy packages (PEP 562) import on first use
            getattr(_warm, _name)
    except ImportError:
        pass

# No assignment's checks are imported here: a sandbox imports only those of the
# assignment it grades (zygote.checks_of), so it never holds another's hidden tests.

_config = Config()
_config.HistoryManager.enabled = False  # no history thread (threads do not survive fork)
SHELL = InteractiveShell.instance(config=_config)

MAX_STREAM = 64 * 1024  # characters of stdout/stderr kept per cell
MAX_RESULT = 16 * 1024
MAX_REFUSED = 100  # different refusals listed per answer

# Bound now, before any student code exists, so later monkeypatching of these
# module attributes does not change how we report.
_dumps = json.dumps
_loads = json.loads
_format_exception = traceback.format_exception
_probe_namespace = checks.probe_namespace
_get_check = checks.get_check


class _Capture(io.TextIOBase):
    """A bounded in-memory text stream standing in for sys.stdout / sys.stderr."""

    def __init__(self, name: str):
        self.name = name
        self.parts: list[str] = []
        self.size = 0
        self.truncated = False

    def writable(self) -> bool:
        return True

    def write(self, text) -> int:
        text = str(text)
        room = MAX_STREAM - self.size
        if room > 0:
            self.parts.append(text[:room])
            self.size += min(len(text), room)
        if len(text) > room:
            self.truncated = True
        return len(text)

    def value(self) -> str:
        text = "".join(self.parts)
        return text + ("\n[output truncated]\n" if self.truncated else "")


class _BlockReference(importlib.abc.MetaPathFinder):
    """Keeps the reference solutions out of the sandbox (they are judged outside)."""

    def find_spec(self, fullname, path, target=None):
        if fullname == "autograder.reference" or fullname.startswith("autograder.reference."):
            raise ImportError("the reference solutions are not available while grading")
        return None


def address_space() -> int:
    """Bytes of address space this process has reserved (VmSize)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))


def _limit_memory(memory_bytes: int, now: int | None) -> None:
    # RLIMIT_AS counts address space, and the warm imports already reserve a lot
    # of it, so the limit is what this process has now plus the allowance.
    limit = (now if now is not None else address_space()) + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _silence_fds() -> None:
    # C-level output (and `!commands`) must not reach the grader's terminal.
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)


def _error(exc: BaseException, skip_frames: int = 1) -> dict:
    tb = exc.__traceback__
    for _ in range(skip_frames):  # drop the sandbox's own frames
        if tb is not None:
            tb = tb.tb_next
    try:
        evalue = str(exc)
    except Exception:
        evalue = "<unprintable message>"
    try:
        lines = _format_exception(type(exc), exc, tb)
    except Exception:
        lines = [f"{type(exc).__name__}: {evalue}\n"]
    return {"ename": type(exc).__name__, "evalue": evalue[:2000], "traceback": [ln[:4000] for ln in lines[-30:]]}


class Sandbox:
    """The command loop of one sandbox process."""

    def __init__(self, channel, guard: Guard, notes: watch.Watch, assignment: str | None):
        self.channel = channel
        self.assignment = assignment
        self.guard = guard
        self.notes = notes
        self.namespace = SHELL.user_ns
        self.stdout = sys.stdout
        self.stderr = sys.stderr

    def serve(self) -> None:
        while True:
            try:
                command = _loads(self.channel.recv())
            except (EOFError, OSError, ValueError):
                return
            if command["op"] == "exec":
                reply = self.run_code(command["code"], command["filename"])
            elif command["op"] == "probe":
                reply = self.run_probe(command["check"])
            else:
                reply = {"error": {"ename": "ValueError", "evalue": f"unknown op {command['op']!r}", "traceback": []}}
            reply["nonce"] = command["nonce"]
            reply["refused"] = sorted(set(self.guard.take_refused()))[:MAX_REFUSED]
            reply["noticed"] = self.notes.take()
            self.channel.send(_dumps(reply, default=str).encode())

    def _begin(self) -> None:
        # Undo what a previous cell may have done to the things we rely on.
        self.guard.restore()
        sys.stdout, sys.stderr = _Capture("stdout"), _Capture("stderr")

    def _streams(self) -> dict:
        out, err = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = self.stdout, self.stderr
        return {"stdout": out.value() if isinstance(out, _Capture) else "",
                "stderr": err.value() if isinstance(err, _Capture) else ""}

    def run_code(self, code: str, filename: str) -> dict:
        self._begin()
        captured_out, captured_err = sys.stdout, sys.stderr
        result = error = None
        try:
            tree = ast.parse(code, filename)
            last = None
            tail = tree.body[-1] if tree.body else None
            if isinstance(tail, ast.Expr):
                tree.body.pop()
                last = ast.Expression(tail.value)
            linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
            exec(compile(tree, filename, "exec"), self.namespace)
            if last is not None:
                value = eval(compile(last, filename, "eval"), self.namespace)
                if value is not None:
                    self.namespace["_"] = value
                    result = pretty(value)[:MAX_RESULT]
        except BaseException as exc:  # SystemExit and KeyboardInterrupt included, as in IPython
            error = _error(exc)
        self.guard.restore()  # the reply must not depend on what the cell replaced
        sys.stdout, sys.stderr = captured_out, captured_err
        return {**self._streams(), "result": result, "error": error}

    def run_probe(self, key: str) -> dict:
        self._begin()
        steps: list = []
        failure = None
        threads = other_threads()
        if threads:  # they could rewrite the probe's namespaces between two of its steps
            failure = {"name": "ThreadsRunning",
                       "message": f"{threads} thread(s) started by the submission are still running; "
                                  "checks do not run alongside them"}
            return {**self._streams(), "steps": steps, "probe_error": failure, "threads": threads}
        try:
            if key.partition(".")[0] != self.assignment:
                raise KeyError(f"{key} is not a check of the assignment being graded")
            item = _get_check(key)
            steps = _probe_namespace(item, self.namespace)
        except BaseException as exc:  # a student object broke the probe itself
            failure = {"name": type(exc).__name__, "message": _error(exc)["evalue"][:300]}
        self.guard.restore()
        return {**self._streams(), "steps": steps, "probe_error": failure}


def _not_dumpable() -> None:
    # Other processes of the same uid (what the submission forks) may then neither trace
    # this one nor open its /proc/<pid>/mem; its children inherit the flag.
    import ctypes

    if ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0) != 0:  # PR_SET_DUMPABLE
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE, 0) failed")


def _close_other_fds(keep: set[int]) -> None:
    # The fork inherits the warm server's descriptors (its control socket, its
    # wake-up pipe): student code writing into them could take the server down
    # for every other submission. (No /proc to list them: every range between the kept.)
    limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    low = 0
    for fd in sorted(keep) + [max(limit if limit > 0 else 1 << 20, max(keep) + 1)]:
        if low < fd:  # (closerange(n, n) would close every descriptor: its end is taken as fd - 1)
            os.closerange(low, fd)
        low = fd + 1


def serve(channel, memory_bytes: int, workdir: str | None = None, unwritable: tuple[str, ...] = (),
          address_space: int | None = None, assignment: str | None = None) -> None:
    """Entry point of a sandbox process (the warm server's forked child, see ``zygote.py``).

    ``channel``: its end of the channel (``channel.LoopEnd``);
    ``workdir``: where the submission's code runs (its files and the assignment's);
    ``unwritable``: folders it may not write into, besides the grader and Python's;
    ``address_space``: this process's VmSize, if already read (for the memory limit);
    ``assignment``: the assignment graded (its checks are imported already; no other's are run).
    """
    try:  # its own session: its own process group, and its own CPU scheduling group where the
        os.setsid()  # kernel groups sessions (sched_autogroup), which its threads share
    except OSError:
        pass  # mode none: made a session leader right after the fork
    _close_other_fds({0, 1, 2, channel.fileno()})
    _silence_fds()
    sys.meta_path.insert(0, _BlockReference())
    for name in [m for m in sys.modules if m.startswith("autograder.reference")]:
        del sys.modules[name]
    if workdir:
        os.chdir(workdir)  # relative paths and `import training` work as under nbgrader
        sys.path.insert(0, workdir)
    if memory_bytes:
        _limit_memory(memory_bytes, address_space)
    _not_dumpable()
    notes = watch.install(tuple(p for p in (workdir, "/tmp") if p))
    guard = Guard(grader_root=os.path.dirname(os.path.dirname(checks.__file__)), unwritable=unwritable)
    channel.send(_dumps(HELLO).encode())  # before any student code: tells the grader who the loop is
    Sandbox(channel, guard, notes, assignment).serve()
    os._exit(0)  # skip interpreter teardown: student objects may misbehave in it
