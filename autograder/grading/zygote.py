"""The warm server: imports torch and the probes once, then forks one sandbox per request.

Run by ``server.py`` as ``python -m autograder.grading.zygote FD MODE JOBS`` (under
``bwrap`` for ``MODE=namespaces``). It talks to the grading process over the
inherited SOCK_SEQPACKET socket ``FD`` with small JSON messages:

- ``{"op": "start", "seq", "job", "memory_bytes", "uid", "assignment", ...}`` with one
  file descriptor (the sandbox's end of its channel, see ``channel.py``) -> fork a sandbox;
- ``{"op": "kill", "seq"}`` -> kill it and everything it started;
- it sends ``{"op": "exited", "seq", "code" | "signal"}`` when a sandbox has ended.

Nothing the sandboxes say passes through here: their replies go straight to the
grading process on the socket it made. The server itself runs only grader code, and
imports no assignment's checks: each sandbox imports those of the assignment it
grades, before any student code (see ``checks_of``).
"""
from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import sys

MAX_MESSAGE = 64 * 1024


def main(argv: list[str]) -> None:
    ctl = socket.socket(fileno=int(argv[0]))
    mode, jobs = argv[1], argv[2]
    from . import sandbox  # noqa: F401  (the warm imports: torch, numpy, IPython, the probes)

    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    ctl.sendmsg([json.dumps({"op": "ready", "pid": os.getpid()}).encode()])
    children: dict[int, int] = {}  # pid -> seq
    selector = selectors.DefaultSelector()
    selector.register(ctl, selectors.EVENT_READ)
    selector.register(wake_r, selectors.EVENT_READ)
    while True:
        for key, _ in selector.select():
            if key.fileobj is ctl:
                message, fds = _receive(ctl)
                if message is None:  # the grading process has gone: end every sandbox, then ourselves
                    for pid in children:
                        _kill(pid, mode)
                    os._exit(0)
                if message.get("op") == "start":
                    pid = os.fork()
                    if pid == 0:
                        os.close(wake_r)
                        os.close(wake_w)
                        ctl.close()
                        _run_sandbox(mode, jobs, message, fds)
                    children[pid] = message["seq"]
                    ctl.sendmsg([json.dumps({"op": "started", "seq": message["seq"]}).encode()])
                elif message.get("op") == "kill":
                    for pid, seq in children.items():
                        if seq == message.get("seq"):
                            _kill(pid, mode)
                for fd in fds:
                    os.close(fd)
            else:
                os.read(wake_r, 4096)
        _reap(children, ctl, mode)


def _receive(ctl: socket.socket) -> tuple[dict | None, list[int]]:
    data, fds, _, _ = socket.recv_fds(ctl, MAX_MESSAGE, 2)
    if not data:
        return None, fds
    return json.loads(data), fds


def _kill(pid: int, mode: str) -> None:
    # namespaces: the supervisor's death kills the sandbox (parent-death signal), and the
    # PID namespace dies with its first process. none: the sandbox's process group (it
    # made its own session right after the fork: until then, the process alone), as best we can.
    for kill in ((os.kill,) if mode == "namespaces" else (os.killpg, os.kill)):
        try:
            kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _reap(children: dict[int, int], ctl: socket.socket, mode: str) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        seq = children.pop(pid, None)
        if seq is not None:
            ctl.sendmsg([json.dumps({"op": "exited", "seq": seq, **_exit_of(status, mode)}).encode()])


def _exit_of(status: int, mode: str) -> dict:
    if os.WIFSIGNALED(status):
        return {"signal": os.WTERMSIG(status)}
    code = os.WEXITSTATUS(status)
    if mode == "namespaces" and code >= 128:  # the supervisor's code for "killed by signal (code - 128)"
        return {"signal": code - 128}
    return {"code": code}


def checks_of(assignment) -> None:
    """Import the checks of ``assignment`` (only those: a sandbox never holds another's)."""
    from autograder import checks

    if assignment is not None:
        if assignment not in checks.ASSIGNMENTS:
            raise ValueError(f"unknown assignment {assignment!r}")
        checks.checks_for(assignment)


def _run_sandbox(mode: str, jobs: str, message: dict, fds: list[int]) -> None:
    """In the forked child: never returns."""
    from . import sandbox
    from .channel import LoopEnd

    try:
        channel = LoopEnd(fds[0])
        job = os.path.join(jobs, os.path.basename(message["job"]))
        checks_of(message.get("assignment"))
        if mode == "namespaces":
            _run_isolated(job, message, channel)
        os.setsid()  # mode none: its own session and process group, so a kill reaches what it spawned
        sandbox.serve(channel, message["memory_bytes"], workdir=job, unwritable=tuple(message.get("unwritable", ())),
                      assignment=message.get("assignment"))
    except BaseException as exc:  # say why on stderr (the grading log) and stop
        print(f"embedding-lab sandbox: could not start: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
    os._exit(70)


def _run_isolated(job: str, message: dict, channel) -> None:
    """Namespaces for one submission. Three processes: this one stays outside as its
    supervisor; inside, the namespace's first process (init: reaps orphans, immune to
    the student's signals) and under it the sandbox, an ordinary process."""
    from . import namespaces, sandbox
    from .isolation import STAGING, WORKDIR, folders_under_tmp

    # As root: an unused uid for this submission. As an ordinary user (bubblewrap's user
    # namespace maps only that user's uid), the sandbox keeps that uid.
    uid, gid = (message["uid"], message["uid"]) if os.getuid() == 0 else (os.getuid(), os.getgid())
    address_space = sandbox.address_space()  # read now: the sandbox has no /proc
    namespaces.private_mounts(job, WORKDIR, uid, gid, message["disk_bytes"], STAGING, folders_under_tmp(),
                              hidden=namespaces.check_folders())
    init = os.fork()
    if init == 0:
        namespaces.set_parent_death_signal(signal.SIGKILL)
        namespaces.hide_proc()
        child = os.fork()
        if child == 0:
            namespaces.become_student(uid, processes=message["processes"], cpu_seconds=message["cpu_seconds"],
                                      file_bytes=message["disk_bytes"])
            sandbox.serve(channel, message["memory_bytes"], workdir=WORKDIR, address_space=address_space,
                          assignment=message.get("assignment"))
            os._exit(0)
        channel.close()
        _exit_like(_wait_for(child))  # and with init gone, every process left in the namespace
    channel.close()
    _exit_like(_wait_for(init))


def _wait_for(pid: int) -> int:
    """Reap children (orphans included) until ``pid`` ends; its wait status."""
    while True:
        done, status = os.wait()
        if done == pid:
            return status


def _exit_like(status: int) -> None:
    # Codes from 128 up mean "killed by a signal" to the warm server, so a submission's
    # own os._exit(200) is passed on as 127 rather than as a signal it never got.
    if os.WIFSIGNALED(status):
        os._exit(128 + os.WTERMSIG(status))
    os._exit(min(os.WEXITSTATUS(status), 127))


if __name__ == "__main__":
    main(sys.argv[1:])
