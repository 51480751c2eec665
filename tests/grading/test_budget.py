"""A submission's total memory and CPU share: cgroup v2 (tested on a stand-in cgroupfs: the test
machines have cgroup v1 controllers) and the watchdog (tested for real)."""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from autograder.grading import processes
from autograder.grading.budget import Budgets, CgroupV2, Ticket


def cgroupfs(root: Path, controllers: str, subtree: str) -> Path:
    """A stand-in cgroup2 hierarchy: root/parent/ours, controllers handed down to ``parent``."""
    (root / "parent" / "ours").mkdir(parents=True)
    (root / "cgroup.controllers").write_text(controllers)
    (root / "cgroup.subtree_control").write_text(subtree)
    (root / "parent" / "cgroup.controllers").write_text(subtree)
    (root / "parent" / "cgroup.subtree_control").write_text(subtree)
    return root


def test_cgroup_v2_gives_each_sandbox_its_limits(tmp_path):
    root = cgroupfs(tmp_path, "cpu memory pids io", "cpu memory pids")
    found, words = CgroupV2.find(root, root / "parent" / "ours")
    assert found is not None and words == f"cgroup v2 ({root / 'parent'})"
    assert found.run.parent == root / "parent"
    assert (found.run / "cgroup.subtree_control").read_text() == "+memory +cpu +pids"
    ticket = Ticket(root=1, include_root=False, limit_bytes=3 * 2**30, stop=lambda: None)
    found.place(ticket, seq=7, pid=4242, processes_max=64)
    leaf = found.run / "s7"
    assert {name: (leaf / name).read_text() for name in
            ("memory.max", "memory.swap.max", "memory.oom.group", "pids.max", "cpu.weight", "cgroup.procs")} == {
        "memory.max": str(3 * 2**30), "memory.swap.max": "0", "memory.oom.group": "1", "pids.max": "64",
        "cpu.weight": "100", "cgroup.procs": "4242"}
    assert not ticket.oom_killed()
    (leaf / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n")
    assert ticket.oom_killed()


def test_cgroup_v2_without_the_controllers_says_why(tmp_path):
    root = cgroupfs(tmp_path, "hugetlb", "")
    found, words = CgroupV2.find(root, root / "parent" / "ours")
    assert found is None and words == f"cgroup v2 at {root} offers no memory/cpu/pids controllers (it has: hugetlb)"
    root2 = cgroupfs(tmp_path / "other", "cpu memory pids", "")
    (root2 / "parent" / "cgroup.subtree_control").write_text("")
    found, words = CgroupV2.find(root2, root2 / "parent" / "ours")
    assert found is None and "hands the memory/cpu/pids controllers down" in words


def test_this_machine_is_described_in_one_line():
    cgroups, found = CgroupV2.find()
    budgets = Budgets(cgroups, found)
    try:
        words = budgets.describe()
        assert "\n" not in words
        if cgroups is None:
            assert words.startswith("memory per submission by a watchdog") and found in words
        else:
            assert words.startswith("memory and CPU share per submission by cgroup v2")
    finally:
        budgets.close()


def test_the_watchdog_stops_a_sandbox_over_its_total():
    """A process with children: their memory, summed, is over the total; the watchdog stops them."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the "sandbox": two children holding 64 MiB each
        os.close(read)
        for _ in range(2):
            if os.fork() == 0:
                hoard = bytearray(64 * 2**20)
                os.write(write, b".")
                time.sleep(60)
                del hoard
                os._exit(0)
        time.sleep(60)
        os._exit(0)
    os.close(write)
    try:
        assert os.read(read, 1) + os.read(read, 1) == b".."
        stopped = []
        ticket = Ticket(root=pid, include_root=True, limit_bytes=100 * 2**20, stop=lambda: stopped.append(1))
        assert processes.usage(pid, True).memory_bytes > 128 * 2**20
        Budgets.look(ticket)
        assert stopped == [1] and "held" in ticket.exceeded and "more than the 100 MiB it may hold" in ticket.exceeded
        roomy = Ticket(root=pid, include_root=True, limit_bytes=2**30, stop=lambda: stopped.append(2))
        Budgets.look(roomy)
        assert stopped == [1] and roomy.exceeded is None
    finally:
        for child in processes.descendants(pid):
            os.kill(child, signal.SIGKILL)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(read)


def test_ending_processes_spares_the_loop_and_counts_each_once():
    pid = os.fork()
    if pid == 0:
        for _ in range(3):
            if os.fork() == 0:
                time.sleep(60)
                os._exit(0)
        time.sleep(60)
        os._exit(0)
    try:
        deadline = time.monotonic() + 10
        while len(processes.descendants(pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        children = processes.descendants(pid)
        assert processes.end_processes(pid, keep=children[0]) == 2
        time.sleep(0.2)
        alive = [c for c in processes.descendants(pid) if processes._stat(c) and processes._stat(c)[0] not in "ZX"]
        assert alive == [children[0]]
    finally:
        for child in processes.descendants(pid):
            os.kill(child, signal.SIGKILL)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


@pytest.mark.parametrize("stopped", [True, False])
def test_a_stopped_loop_is_continued(stopped):
    pid = os.fork()
    if pid == 0:
        time.sleep(60)
        os._exit(0)
    handle = processes.Handle(pid)
    try:
        if stopped:
            os.kill(pid, signal.SIGSTOP)
            os.waitpid(pid, os.WUNTRACED)
        processes.continue_if_stopped(handle)
        time.sleep(0.1)
        assert processes._stat(pid)[0] in "SR"
    finally:
        handle.close()
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
