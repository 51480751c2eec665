"""`embedding-lab grade --scheduler-file ...` on a real Dask cluster on 127.0.0.1 (a `dask scheduler` and two
`dask worker` processes, each in its own working directory): the same per-cell scores, verdicts and
autograded notebooks as grading on this machine, and the faults: a worker killed mid-run, a task that
dies, a scheduler that goes away, workers without bubblewrap. Every submission is stored once or
reported as not graded; a second run grades only what is left."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

from dask_cluster import LocalCluster
from grading_course import copy_course
from test_matches_stock import benchmark_module

pytestmark = [pytest.mark.slow]
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
STUDENTS = 6


def grade(course: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "embedding-lab"), "grade", "a1_lookup", "--no-progress", *args], cwd=course,
                          env=ENV, capture_output=True, text=True, timeout=timeout)


def report(course: Path) -> dict:
    return json.loads((course / "grading-report-a1_lookup.json").read_text())


def judged(course: Path) -> dict[str, dict]:
    """Student -> the report's entry (verdicts and their messages, events, restarts), less the time taken."""
    return {s["student"]: {k: v for k, v in s.items() if k != "seconds"} for s in report(course)["submissions"]}


def add_cell(course: Path, student: str, source: str, at: int = 1) -> None:
    path = course / "submitted" / student / "a1_lookup" / "a1_lookup.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(at, nbformat.v4.new_code_cell(source))
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def courses(a1_course, namespaces_available, tmp_path_factory):
    """The same submissions graded here (``local``) and in an ungraded copy (``fresh``): a mix of right and
    wrong answers, one submission whose kernel dies (re-run on a fresh sandbox) and one with a data file."""
    bench = benchmark_module()
    base = copy_course(a1_course[0], tmp_path_factory.mktemp("cluster") / "base")
    bench.make_submissions(base, STUDENTS, seed=7)
    add_cell(base, "s001", "import os\nos._exit(3)")
    (base / "submitted" / "s002" / "a1_lookup" / "notes.txt").write_text("read me\n")
    add_cell(base, "s002", "print(open('notes.txt').read())")
    local = copy_course(base, base.parent / "local")
    proc = grade(local)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return base, local, bench


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, namespaces_available):
    """One scheduler and two workers for the tests that do not break them."""
    running = LocalCluster(tmp_path_factory.mktemp("dask"))
    try:
        for name in ("w1", "w2"):
            running.add_worker(name)
        running.wait_for_workers(2)
        yield running
    finally:
        running.close()


def test_the_cluster_grades_exactly_as_this_machine(courses, cluster, tmp_path):
    base, local, bench = courses
    remote = copy_course(base, tmp_path / "remote")
    proc = grade(remote, "--scheduler-file", str(cluster.scheduler_file))
    assert proc.returncode == 0, proc.stderr[-3000:] + proc.stdout[-3000:]
    assert bench.scores(remote) == bench.scores(local)
    assert len(bench.scores(remote)) == STUDENTS
    assert judged(remote) == judged(local)  # the failure messages and events too; judged by this process
    assert len({sum(filter(None, s.values())) for s in bench.scores(remote).values()}) > 1
    for student in ("s001", "s002"):
        name = f"{student}/a1_lookup/a1_lookup.ipynb"
        got = nbformat.read(remote / "autograded" / name, as_version=4)
        want = nbformat.read(local / "autograded" / name, as_version=4)
        assert [c.get("outputs") for c in got.cells] == [c.get("outputs") for c in want.cells], student
    kinds = {e["kind"] for e in judged(remote)["s001"]["events"]}
    assert "crash" in kinds  # the kernel died on the worker, and was restarted there
    assert "read me" in json.dumps(nbformat.read(remote / "autograded/s002/a1_lookup/a1_lookup.ipynb", as_version=4))
    assert "worker(s) of" in report(remote)["budget"] and report(remote)["isolation"] == "namespaces"
    again = grade(remote, "--scheduler-file", str(cluster.scheduler_file))
    assert again.returncode == 0 and len(report(remote)["skipped"]) == STUDENTS, again.stderr[-2000:]
