"""A submission's processes, as the grading process sees them in ``/proc``.

Under ``namespaces`` a submission's processes are every process under the first
process of its PID namespace (grader code, which reaps orphans), so one that
detaches is still found; under ``none`` they are the descendants of the sandbox's
command loop that have not detached. Used to end, before each command, whatever an
earlier cell left running (so a process lives no longer than its cell, and never
beside a check), and to add up what a submission's processes use.

Every signal goes through a pidfd opened after the process was seen and checked to
still belong to the submission: a process id the kernel reused for someone else's
process is never signalled.
"""
from __future__ import annotations

import os
import signal
from dataclasses import dataclass

MAX_PROCESSES = 4096  # far above RLIMIT_NPROC: a walk of /proc is always bounded


@dataclass(frozen=True)
class Usage:
    """What a submission's processes use now."""

    processes: int
    memory_bytes: int
    """Proportional set size, summed (shared pages divided among the processes sharing them)."""


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, or None when it has gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            text = f.read()
    except OSError:
        return None
    fields = text[text.rfind(b")") + 2:].split()  # the name in parentheses may hold anything
    return fields[0].decode(), int(fields[1])


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as f:
                found += [int(p) for p in f.read().split()]
        except (OSError, ValueError):
            continue
    return found


def descendants(root: int) -> list[int]:
    """Every process under ``root`` (not ``root`` itself), zombies included; breadth first, bounded."""
    found: list[int] = []
    seen, queue = {root}, [root]
    while queue and len(found) < MAX_PROCESSES:
        for child in _children(queue.pop()):
            if child not in seen:
                seen.add(child)
                found.append(child)
                queue.append(child)
    return found


def end_processes(root: int, keep: int) -> int:
    """Kill every live process under ``root`` except ``keep`` (and its threads); how many were killed."""
    killed: set[int] = set()
    for _ in range(64):  # each round kills all it sees; what they forked meanwhile is seen next round
        tree = {root, *descendants(root)}
        targets = [p for p in tree if p not in (root, keep) and (_stat(p) or ("X", 0))[0] not in "ZX"]
        if not targets:
            break
        killed.update(pid for pid in targets if _kill_if_ours(pid, tree))
    return len(killed)


def _kill_if_ours(pid: int, tree: set[int]) -> bool:
    try:
        fd = os.pidfd_open(pid)
    except OSError:
        return False  # gone already
    try:
        now = _stat(pid)  # the process the pidfd holds: still a child of one of ours?
        if now is None or now[1] not in tree:
            return False
        signal.pidfd_send_signal(fd, signal.SIGKILL)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


class Handle:
    """A process held by a pidfd: signals reach that process, never one that took its id later."""

    def __init__(self, pid: int):
        self.pid = pid
        self.fd: int | None = os.pidfd_open(pid)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def is_stopped(handle: Handle | None) -> bool:
    """Whether the process is stopped (SIGSTOP, or traced)."""
    found = _stat(handle.pid) if handle is not None and handle.fd is not None else None
    return found is not None and found[0] in "Tt"


def continue_if_stopped(handle: Handle | None) -> None:
    """Send SIGCONT to a stopped process (another process of the submission may have stopped it)."""
    if handle is not None and handle.fd is not None and is_stopped(handle):
        try:
            signal.pidfd_send_signal(handle.fd, signal.SIGCONT)
        except OSError:
            pass


def parent_of(pid: int) -> int | None:
    found = _stat(pid)
    return found[1] if found else None


def usage(root: int, include_root: bool, exact: bool = True) -> Usage:
    """What the processes under ``root`` (and ``root`` itself if ``include_root``) use now.

    ``exact``: their proportional set size (shared pages divided among the processes sharing
    them; the kernel walks every page to tell, milliseconds for a large process); else their
    resident size (cheap, and never less: a page two processes share after a fork counts twice)."""
    pids = descendants(root) + ([root] if include_root else [])
    total, counted = 0, 0
    for pid in pids:
        size = _proportional_size(pid) if exact else resident_size(pid)
        if size:
            total += size
            counted += 1
    return Usage(counted, total)


def _proportional_size(pid: int) -> int | None:
    """Bytes of memory a process holds, shared pages divided among their sharers (Pss); its
    resident size where Pss cannot be read."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def resident_size(pid: int) -> int:
    """A process's resident set size in bytes (0 if it has gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
