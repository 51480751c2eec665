"""The private channel between the grading process and one sandbox's command loop.

One Unix stream socket pair per sandbox: commands go in, answers come out, each a
JSON message behind an 8-byte length. The sandbox's end is inherited by whatever the
submission forks, so the grading process does not trust *who* writes: its end asks
the kernel for the sender of every piece it reads (``SO_PASSCRED``: the kernel stamps
each write with the writing process's id and never merges writes of two processes
into one read), and an answer counts only when every byte of it came from the
sandbox's command loop. The loop's process id is learnt from its first message,
sent before any student code exists. A process the submission forks can still read
commands meant for the loop (then the loop never answers: a timeout, for that
submission alone) or write (refused, and reported); it cannot answer.

Every read is bounded: a deadline, a largest message, and a JSON parse whose
nesting errors (``RecursionError``) are caught like any other garbled answer.
"""
from __future__ import annotations

import json
import select
import socket
import struct
import time

HEADER = struct.Struct("!Q")
_CREDENTIALS = struct.Struct("3i")  # struct ucred: pid, uid, gid
_ANCILLARY = socket.CMSG_SPACE(_CREDENTIALS.size)
HELLO = {"op": "ready"}


class ChannelError(Exception):
    """The channel failed; ``kind`` is ``timeout``, ``crash`` (end of file) or ``tampering``."""

    def __init__(self, kind: str, detail: str):
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


def socket_pair() -> tuple[socket.socket, socket.socket]:
    """(the grading process's end, the sandbox's end)."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    ours.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)  # before the other end is handed out
    return ours, theirs


# -- the sandbox's side (runs in the sandbox: plain, blocking) -------------------

class LoopEnd:
    """The command loop's end: blocking reads of commands, writes of answers."""

    def __init__(self, fd: int):
        self.sock = socket.socket(fileno=fd)
        self.sock.setblocking(True)

    def fileno(self) -> int:
        return self.sock.fileno()

    def send(self, data: bytes) -> None:
        self.sock.sendall(HEADER.pack(len(data)) + data)

    def recv(self) -> bytes:
        """The next command; EOFError when the grading process has gone."""
        size = HEADER.unpack(self._exactly(HEADER.size))[0]
        return self._exactly(size)

    def _exactly(self, n: int) -> bytes:
        parts, left = [], n
        while left:
            chunk = self.sock.recv(min(left, 1 << 20))
            if not chunk:
                raise EOFError
            parts.append(chunk)
            left -= len(chunk)
        return b"".join(parts)

    def close(self) -> None:
        self.sock.close()


# -- the grading process's side --------------------------------------------------

class GraderEnd:
    """The grading process's end: every piece read must come from the loop's process."""

    def __init__(self, sock: socket.socket, max_message: int):
        self.sock = sock
        self.sock.setblocking(False)
        self.max_message = max_message
        self.loop_pid: int | None = None
        """The command loop's process id (as this process sees it), from its first message."""

    def fileno(self) -> int:
        return self.sock.fileno()

    def send(self, message: dict) -> None:
        data = json.dumps(message).encode()
        view = memoryview(HEADER.pack(len(data)) + data)
        while view:
            try:
                sent = self.sock.send(view)
            except BlockingIOError:
                select.select([], [self.sock], [], 1.0)
                continue
            except OSError as exc:
                raise ChannelError("crash", f"the sandbox's channel is closed ({exc.strerror or exc})") from None
            view = view[sent:]

    def hello(self, timeout: float) -> int:
        """Wait for the loop's first message; returns (and remembers) its process id."""
        data, pids = self._message(timeout)
        if _parse(data) != HELLO or len(pids) != 1:
            raise ChannelError("tampering", "the sandbox's first message was not its greeting")
        self.loop_pid = pids.pop()
        return self.loop_pid

    def receive(self, timeout: float) -> dict:
        """The next answer, as a dict: written wholly by the loop's process, within ``timeout`` s to
        start and ``timeout`` s more to finish."""
        data, pids = self._message(timeout)
        strangers = pids - {self.loop_pid}
        if strangers:
            raise ChannelError("tampering", f"a process other than the sandbox's command loop (pid "
                                            f"{min(strangers)}) wrote on its channel; the answer was refused")
        reply = _parse(data)
        if not isinstance(reply, dict):
            raise ChannelError("tampering", "the sandbox's answer was not a JSON object")
        return reply

    def pending(self) -> bool:
        """Whether anything more is waiting to be read (a second answer to one command)."""
        return bool(select.select([self.sock], [], [], 0)[0])

    def _message(self, timeout: float) -> tuple[bytes, set[int]]:
        pids: set[int] = set()
        header = self._read(HEADER.size, time.monotonic() + timeout, pids, started=False)
        size = HEADER.unpack(header)[0]
        if size > self.max_message:
            raise ChannelError("tampering", f"the sandbox announced an answer of {size} bytes (at most "
                                            f"{self.max_message} are read)")
        return self._read(size, time.monotonic() + timeout, pids, started=True), pids

    def _read(self, n: int, deadline: float, pids: set[int], started: bool) -> bytes:
        parts: list[bytes] = []
        left = n
        while left:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([self.sock], [], [], wait)[0]:
                if started or parts:
                    raise ChannelError("tampering", "the sandbox stopped writing in the middle of an answer")
                raise ChannelError("timeout", "no answer")
            try:
                chunk, ancillary, _, _ = self.sock.recvmsg(min(left, 1 << 20), _ANCILLARY)
            except BlockingIOError:
                continue
            except OSError as exc:
                raise ChannelError("crash", f"the sandbox's channel broke ({exc.strerror or exc})") from None
            if not chunk:
                raise ChannelError("crash", "end of file")
            pids.add(_sender(ancillary))
            parts.append(chunk)
            left -= len(chunk)
        return b"".join(parts)

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def _sender(ancillary) -> int:
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS and len(data) >= _CREDENTIALS.size:
            return _CREDENTIALS.unpack(data[:_CREDENTIALS.size])[0]
    return -1  # no credentials: never the loop's


def _parse(data: bytes):
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError, MemoryError):
        raise ChannelError("tampering", "the sandbox's channel carried garbled data") from None
