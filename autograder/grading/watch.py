"""Sandbox side: notice what a submission tries beyond its folder, for the report.

Nothing here refuses anything: the operating system does (``namespaces.py``). This
audit hook (PEP 578) only writes down, in words, attempts that tell an
instructor something: starting programs, forking, network connections, SQLite
databases, signals to other processes, looking for files that are not in the
sandbox (a gradebook, another student's notebook, ``/proc/<pid>/...`` of the
grader), and filling the disk allowance. Each reply carries what was noticed
since the last one.
"""
from __future__ import annotations

import os
import sys

MAX_NOTES = 20
_QUIET_PREFIXES = ("/sys/", "/proc/self/", "/proc/thread-self/", "/dev/")


class Watch:
    def __init__(self, folders: tuple[str, ...]):
        self.folders = folders
        self.notes: list[str] = []
        self.full: set[str] = set()

    def note(self, text: str) -> None:
        if text not in self.notes and len(self.notes) < MAX_NOTES:
            self.notes.append(text)

    def take(self) -> list[str]:
        for folder in self.folders:  # a full tmpfs: the submission used its whole disk allowance
            try:
                info = os.statvfs(folder)
            except OSError:
                continue
            if info.f_bavail * info.f_frsize < 2**20 and folder not in self.full:
                self.full.add(folder)
                self.note(f"filled its disk allowance in {folder}")
        notes, self.notes = self.notes, []
        return notes

    def hook(self, event: str, args: tuple) -> None:
        try:
            text = _describe(event, args)
        except Exception:  # never let the report break the submission's code
            return
        if text:
            self.note(text)


def _short(value, limit: int = 80) -> str:
    text = " ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _writes(mode, flags) -> bool:
    if isinstance(mode, str):
        return any(ch in mode for ch in "wax+")
    return isinstance(flags, int) and bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))


def _describe(event: str, args: tuple) -> str | None:
    if event == "subprocess.Popen":
        return f"started a program: {_short(args[1])}"
    if event == "os.system":
        return f"ran a shell command: {_short(args[0])}"
    if event in ("os.exec", "os.posix_spawn", "os.spawn"):
        return f"started a program: {_short(args[1] if len(args) > 1 else args[0])}"
    if event in ("os.fork", "os.forkpty"):
        return "forked a process"
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        address = args[-1] if event != "socket.connect" else args[1]
        return f"tried to reach {_short(address)} over the network"
    if event == "sqlite3.connect":
        return f"opened an SQLite database: {_short(args[0])}"
    if event in ("os.kill", "os.killpg") and args[0] not in (os.getpid(), os.getpgrp()):
        return f"sent signal {args[1]} to process {args[0]}"
    if event == "open" and isinstance(args[0], (str, bytes)):
        path = os.fsdecode(args[0])
        if not os.path.isabs(path) or path.startswith(_QUIET_PREFIXES) or "/__pycache__/" in path:
            return None  # (the import system looks for cached bytecode that need not exist)
        if _writes(*args[1:3]):  # creating a file is fine where its folder exists
            if not os.path.isdir(os.path.dirname(path)):
                return f"tried to write {_short(path)}, which is not in its sandbox"
        elif not os.path.exists(path):
            return f"looked for {_short(path)}, which is not in its sandbox"
    return None


def install(folders: tuple[str, ...]) -> Watch:
    """Start watching (before the grader's guard, which refuses later audit hooks)."""
    watch = Watch(folders)
    sys.addaudithook(watch.hook)
    return watch
