"""A submission's total memory and CPU share, across all the processes it starts.

``RLIMIT_AS`` limits each process; a submission may start many. So each sandbox
also gets a total, one of two ways, chosen once per grading process and recorded
in the report:

- **cgroup v2**, where the machine offers it (a cgroup2 hierarchy with the memory,
  cpu and pids controllers that this process may create cgroups in): one cgroup per
  sandbox with ``memory.max`` (the allowance plus what the sandbox held when it
  started), no swap, ``memory.oom.group`` (an out-of-memory kill takes the whole
  submission), ``pids.max`` and the default ``cpu.weight``, so every submission gets
  the same CPU share however many threads or processes it runs.
- **a watchdog** otherwise (e.g. cgroup v1 machines, where cgroup2 has no memory
  controller): a thread that every ``TICK`` seconds adds up the memory of each
  sandbox's processes (their resident size; when that is over, their proportional
  set size, shared pages divided among their sharers) and stops a sandbox that
  holds more than its total. It does not
  give a CPU share: the sandbox's session is its own CPU scheduling group where the
  kernel groups sessions (``sched_autogroup``), and the processes it starts end
  with their cell (``processes.py``).

The grading process calls :meth:`Budgets.attach` once a sandbox has said hello
(its command loop's process id is then known), and :meth:`Budgets.release` when it
has ended.
"""
from __future__ import annotations

import atexit
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import processes

TICK = 0.2
"""Seconds between two looks of the watchdog."""
EXACT_EVERY = 1.0
"""Seconds between two exact (proportional set size) looks at one sandbox."""
CONTROLLERS = ("memory", "cpu", "pids")


@dataclass(eq=False)
class Ticket:
    """One sandbox's place in the budget."""

    root: int
    """The process its processes are found under (the PID namespace's first process, or the loop)."""
    include_root: bool
    limit_bytes: int
    """Total memory its processes may hold (0: no total)."""
    stop: Callable[[], None]
    """Kills the sandbox (through the warm server)."""
    cgroup: Path | None = None
    exceeded: str | None = None
    """Set when the budget stopped it: why, in words."""
    next_exact_look: float = 0.0

    def oom_killed(self) -> bool:
        """Whether the kernel killed something in its cgroup for want of memory."""
        if self.cgroup is None:
            return False
        try:
            events = (self.cgroup / "memory.events").read_text()
        except OSError:
            return False
        return any(line.split()[:1] == ["oom_kill"] and line.split()[1] != "0" for line in events.splitlines())


def _cgroup2_mount() -> Path | None:
    try:
        with open("/proc/self/mountinfo") as mounts:
            for line in mounts:
                left, _, right = line.partition(" - ")
                if right.split()[:1] == ["cgroup2"]:
                    return Path(left.split()[4])
    except OSError:
        pass
    return None


def _own_cgroup(mount: Path) -> Path:
    try:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            if line.startswith("0::"):
                return mount / line[3:].lstrip("/")
    except OSError:
        pass
    return mount


def _controllers(path: Path, name: str) -> set[str]:
    try:
        return set((path / name).read_text().split())
    except OSError:
        return set()


class CgroupV2:
    """One cgroup per sandbox under a cgroup this process creates (see the module docstring)."""

    def __init__(self, parent: Path):
        self.parent = parent
        self.run = parent / f"embedding-lab-{os.getpid()}-{secrets.token_hex(3)}"
        self.run.mkdir()
        try:
            (self.run / "cgroup.subtree_control").write_text(" ".join(f"+{c}" for c in CONTROLLERS))
        except OSError:
            self.run.rmdir()
            raise
        self._stale: list[Path] = []

    @classmethod
    def find(cls, mount: Path | None = None, start: Path | None = None) -> tuple["CgroupV2 | None", str]:
        """(a usable hierarchy, or None; what was found, in words). ``mount``: the cgroup2 hierarchy
        (default: the one mounted here); ``start``: the cgroup to look up from (default: ours)."""
        mount = mount or _cgroup2_mount()
        if mount is None:
            return None, "no cgroup v2 hierarchy is mounted"
        if not set(CONTROLLERS) <= _controllers(mount, "cgroup.controllers"):
            offered = " ".join(sorted(_controllers(mount, "cgroup.controllers"))) or "none"
            return None, f"cgroup v2 at {mount} offers no {'/'.join(CONTROLLERS)} controllers (it has: {offered})"
        folder = start or _own_cgroup(mount)
        while True:  # the nearest cgroup above ours that hands the controllers down and lets us add one
            if set(CONTROLLERS) <= _controllers(folder, "cgroup.subtree_control") and os.access(folder, os.W_OK):
                try:
                    return cls(folder), f"cgroup v2 ({folder})"
                except OSError as exc:
                    return None, f"cgroup v2 at {folder} refused a new cgroup ({exc.strerror or exc})"
            if folder == mount or mount not in folder.parents:
                return None, f"no cgroup under {mount} hands the {'/'.join(CONTROLLERS)} controllers down to us"
            folder = folder.parent

    def place(self, ticket: Ticket, seq: int, pid: int, processes_max: int) -> None:
        """A cgroup for one sandbox, with its limits, holding its command loop ``pid`` (and so what it starts)."""
        self.sweep()
        leaf = self.run / f"s{seq}"
        leaf.mkdir()
        ticket.cgroup = leaf
        limits = {"memory.swap.max": "0", "memory.oom.group": "1", "pids.max": str(processes_max),
                  "cpu.weight": "100", "memory.max": str(ticket.limit_bytes) if ticket.limit_bytes else "max"}
        for name, value in limits.items():
            (leaf / name).write_text(value)
        (leaf / "cgroup.procs").write_text(str(pid))

    def release(self, ticket: Ticket) -> None:
        if ticket.cgroup is not None:
            self._stale.append(ticket.cgroup)
            self.sweep()

    def sweep(self) -> None:
        """Remove the cgroups of ended sandboxes (a cgroup goes only once its last process has)."""
        for leaf in list(self._stale):
            try:
                leaf.rmdir()
            except FileNotFoundError:
                pass
            except OSError:
                continue
            self._stale.remove(leaf)

    def close(self) -> None:
        deadline = time.monotonic() + 5
        while self._stale and time.monotonic() < deadline:
            self.sweep()
            time.sleep(0.05)
        try:
            self.run.rmdir()
        except OSError:
            pass


class Budgets:
    """Totals for every sandbox of one grading process (see the module docstring)."""

    def __init__(self, cgroups: CgroupV2 | None, found: str):
        self.cgroups = cgroups
        self.found = found
        self._tickets: list[Ticket] = []
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def describe(self) -> str:
        """One line for the report: which of the two ways this run used."""
        if self.cgroups is not None:
            return f"memory and CPU share per submission by {self.found}"
        return f"memory per submission by a watchdog (every {TICK:g} s), no CPU share: {self.found}"

    def attach(self, seq: int, loop_pid: int, root: int, include_root: bool, memory_bytes: int,
               processes_max: int, stop: Callable[[], None]) -> Ticket:
        """Start counting one sandbox: its total is ``memory_bytes`` plus what the loop holds now (its
        warm imports); 0 means no total."""
        limit = memory_bytes + processes.resident_size(loop_pid) if memory_bytes else 0
        ticket = Ticket(root, include_root, limit, stop)
        if self.cgroups is not None:
            try:
                self.cgroups.place(ticket, seq, loop_pid, processes_max)
                return ticket
            except OSError:
                ticket.cgroup = None  # this one is watched instead
        if limit:
            with self._lock:
                self._tickets.append(ticket)
                if self._thread is None:
                    self._thread = threading.Thread(target=self._watch, name="memory-watchdog", daemon=True)
                    self._thread.start()
        return ticket

    def release(self, ticket: Ticket) -> None:
        with self._lock:
            if ticket in self._tickets:
                self._tickets.remove(ticket)
        if self.cgroups is not None:
            self.cgroups.release(ticket)

    def _watch(self) -> None:
        while True:
            time.sleep(TICK)
            with self._lock:
                tickets = list(self._tickets)
            for ticket in tickets:
                try:
                    self.look(ticket)
                except Exception:  # a process that went in the middle of a look: look again next time
                    pass

    @staticmethod
    def look(ticket: Ticket) -> None:
        """Stop the sandbox if its processes hold more than its total: their resident size, summed, is
        checked every look (cheap); only when that is over, their proportional set size, at most once a
        second (the kernel walks every page to tell it), must be over too."""
        if not ticket.limit_bytes or ticket.exceeded is not None:
            return
        if processes.usage(ticket.root, ticket.include_root, exact=False).memory_bytes <= ticket.limit_bytes:
            return
        now = time.monotonic()
        if now < ticket.next_exact_look:
            return
        ticket.next_exact_look = now + EXACT_EVERY
        used = processes.usage(ticket.root, ticket.include_root)
        if used.memory_bytes > ticket.limit_bytes:
            ticket.exceeded = (f"its {used.processes} process(es) held {used.memory_bytes / 2**20:.0f} MiB in all, "
                               f"more than the {ticket.limit_bytes / 2**20:.0f} MiB it may hold; stopped")
            ticket.stop()

    def close(self) -> None:
        if self.cgroups is not None:
            self.cgroups.close()


_budgets: Budgets | None = None
_budgets_lock = threading.Lock()


def budgets() -> Budgets:
    """This grading process's budgets (the way is chosen on first use)."""
    global _budgets
    with _budgets_lock:
        if _budgets is None:
            cgroups, found = CgroupV2.find()
            _budgets = Budgets(cgroups, found)
            atexit.register(_budgets.close)
        return _budgets
