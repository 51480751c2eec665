"""The grading process's side of the warm server (``zygote.py``).

One server per grading process and isolation mode, started once (its imports take
seconds) and asked for one sandbox per submission. Under ``namespaces`` it runs
inside ``bwrap`` (``isolation.py``); the working copies of submissions are made in
its job folder, which the server sees read-only at ``/jobs``.
"""
from __future__ import annotations

import atexit
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from . import isolation
from .channel import GraderEnd, socket_pair
from .files import remove_tree

START_TIMEOUT = 120.0  # seconds for the server's imports (torch) on a loaded machine
_ENV_KEPT = ("PATH", "LANG", "LANGUAGE", "TZ", "PYTHONHASHSEED", "SOURCE_DATE_EPOCH")
_ENV_PREFIXES = ("LC_", "OPENBLAS_", "OMP_", "MKL_")


class ServerError(RuntimeError):
    """The warm server could not start or has stopped."""


class WarmServer:
    """A running warm server: spawns, kills and reports on sandboxes."""

    def __init__(self, mode: str):
        if mode not in isolation.MODES:
            raise ValueError(f"isolation must be one of {', '.join(isolation.MODES)}")
        if mode == isolation.NAMESPACES:
            reason = isolation.unavailable_reason()
            if reason:
                raise isolation.IsolationUnavailable(reason)
        self.mode = mode
        self.jobs = Path(tempfile.mkdtemp(prefix="embedding-lab-jobs-"))  # mode 0700: this user only
        self._uid_base = 200_000 + secrets.randbelow(1000) * 1000
        self._lock = threading.Lock()
        self._seq = 0
        self._exits: dict[int, dict] = {}
        self._exited = threading.Condition(self._lock)
        self._ready = threading.Event()
        self._log = tempfile.TemporaryFile()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        inside_jobs = isolation.JOBS if mode == isolation.NAMESPACES else str(self.jobs)
        argv = [sys.executable, "-m", "autograder.grading.zygote", str(theirs.fileno()), mode, inside_jobs]
        if mode == isolation.NAMESPACES:
            argv = isolation.bwrap_command(self.jobs, argv)
        self.process = subprocess.Popen(argv, pass_fds=[theirs.fileno()], env=_sandbox_env(),
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self._log)
        theirs.close()
        self._ctl = ours
        self._reader = threading.Thread(target=self._read, name="warm-server", daemon=True)
        self._reader.start()

    # -- the control channel -------------------------------------------------

    def _read(self) -> None:
        while True:
            try:
                data = self._ctl.recv(64 * 1024)
            except OSError:
                data = b""
            if not data:
                break
            try:
                message = json.loads(data)
                op = message["op"]
            except (ValueError, KeyError, TypeError):
                continue
            if op == "ready":
                self._ready.set()
            elif op == "exited" and isinstance(message.get("seq"), int):
                with self._exited:
                    self._exits[message["seq"]] = message
                    self._exited.notify_all()
        with self._exited:  # the server has gone: every sandbox with it
            self._dead = True
            self._exited.notify_all()
        self._ready.set()

    _dead = False

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        if not self._ready.wait(timeout) or self._dead:
            self.process.poll()
            raise ServerError(f"the grading server did not start ({self.mode} isolation): {self.log_tail()}")

    def log_tail(self) -> str:
        self._log.seek(0)
        text = self._log.read()[-2000:].decode(errors="replace").strip()
        return text.splitlines()[-1] if text else f"exit status {self.process.poll()}"

    def alive(self) -> bool:
        return not self._dead and self.process.poll() is None

    def _send(self, message: dict, fds: tuple[int, ...] | list[int] = ()) -> None:
        try:
            socket.send_fds(self._ctl, [json.dumps(message).encode()], list(fds))
        except OSError as exc:
            raise ServerError(f"the grading server has stopped: {self.log_tail()}") from exc

    # -- sandboxes -------------------------------------------------------------

    @property
    def uids(self) -> range:
        """The uids this server's sandboxes run as (one per sandbox, reused after 1000)."""
        return range(self._uid_base, self._uid_base + 1000)

    def new_job(self, label: str) -> Path:
        """A fresh, empty folder for one submission's working copy."""
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in label)[:40] or "job"
        return Path(tempfile.mkdtemp(prefix=f"{safe}-", dir=self.jobs))

    def spawn(self, job: Path, *, memory_bytes: int, disk_bytes: int, processes: int, cpu_seconds: int,
              max_message: int, unwritable: tuple[str, ...] = (), assignment: str | None = None
              ) -> tuple[int, GraderEnd]:
        """Start a sandbox on ``job`` (a folder from ``new_job``): (seq, our end of its channel).

        ``assignment``: the only assignment whose checks the sandbox loads (None: none)."""
        self.wait_ready()
        with self._lock:
            self._seq += 1
            seq = self._seq
        ours, theirs = socket_pair()
        try:
            self._send({"op": "start", "seq": seq, "job": job.name, "memory_bytes": memory_bytes,
                        "disk_bytes": disk_bytes, "processes": processes, "cpu_seconds": cpu_seconds,
                        "uid": self.uids[seq % 1000], "unwritable": list(unwritable), "assignment": assignment},
                       [theirs.fileno()])
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()  # the sandbox holds the only other end: its death is an end of file here
        return seq, GraderEnd(ours, max_message)

    def kill(self, seq: int) -> None:
        try:
            self._send({"op": "kill", "seq": seq})
        except ServerError:
            pass  # a stopped server took its sandboxes with it

    def wait(self, seq: int, timeout: float) -> dict | None:
        """``{"code": n}`` or ``{"signal": n}`` once the sandbox has ended, else None after ``timeout``."""
        with self._exited:
            self._exited.wait_for(lambda: seq in self._exits or self._dead, timeout)
            if seq in self._exits:
                return self._exits.pop(seq)
            return {"signal": 9, "server": True} if self._dead else None

    def close(self) -> None:
        # The server kills its sandboxes and exits on end of file. shutdown() first: a
        # bare close() while the reader thread sits in recv() sends no end of file (the
        # blocked call keeps the socket open), and every run waited 10 s here for nothing.
        for end in (lambda: self._ctl.shutdown(socket.SHUT_RDWR), self._ctl.close):
            try:
                end()
            except OSError:
                pass
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        remove_tree(self.jobs)


def _sandbox_env() -> dict[str, str]:
    # Only what the interpreter needs: the grading process's environment may hold
    # secrets (a gradebook URL with a password, tokens) that student code could print.
    env = {k: v for k, v in os.environ.items() if k in _ENV_KEPT or k.startswith(_ENV_PREFIXES)}
    env.update(PYTHONDONTWRITEBYTECODE="1", OMP_NUM_THREADS="1", HOME="/tmp", PYTHONNOUSERSITE="1")
    env.pop("PYTHONPATH", None)
    return env


_servers: dict[str, WarmServer] = {}
_servers_lock = threading.Lock()


def warm_server(mode: str = isolation.NAMESPACES) -> WarmServer:
    """The running server for ``mode``, started if needed (raises IsolationUnavailable)."""
    with _servers_lock:
        server = _servers.get(mode)
        if server is None or not server.alive():
            if server is not None:
                server.close()
            server = _servers[mode] = WarmServer(mode)
        return server


def start_warm_server(mode: str = isolation.NAMESPACES) -> None:
    """Start the server now (its imports take seconds) instead of at the first sandbox."""
    warm_server(mode)


@atexit.register
def _stop_servers() -> None:
    for server in list(_servers.values()):
        server.close()
    _servers.clear()
