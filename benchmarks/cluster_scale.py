"""Where the cost goes when `embedding-lab grade` runs on a Dask cluster: measured, same run.

1. The cluster path against local grading, on the same a1_lookup submissions: local
   `embedding-lab grade --jobs W` and `--scheduler-file` with a `dask scheduler` and W
   `dask worker --nthreads 1` processes on 127.0.0.1 (so the same parallelism), start-up
   included; the extra seconds per submission; what one task carries and returns.
2. The grading process's own rate, which bounds any cluster: reading, repairing, planning
   and storing each submission with nbgrader's converter, with the running replaced by an
   instant answer (every test cell passed), into SQLite and PostgreSQL (where Debian's
   postgresql is installed: tests/postgres_server.py starts a private one).

    .venv/bin/python benchmarks/cluster_scale.py                 # 40 graded, 400 stored
    .venv/bin/python benchmarks/cluster_scale.py --n 8 --store 50 # a quick run

The machine's load average is printed before and after: with other work on the machine
the figures are only comparable within one run.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "tests" / "grading"))
BIN = Path(sys.executable).parent


def make_course(root: Path, n: int, db_url: str | None = None) -> Path:
    import grading_throughput
    from autograder.course import init_course
    from autograder.pipeline import nbgrader_api

    init_course(root, assignments=["a1_lookup"], db_url=db_url)
    result = nbgrader_api(root).generate_assignment("a1_lookup", force=True, create=True)
    assert result["success"], result.get("log")
    grading_throughput.make_submissions(root, n, seed=7)
    return root


def timed(course: Path, *args: str) -> float:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    start = time.perf_counter()
    proc = subprocess.run([str(BIN / "embedding-lab"), "grade", "a1_lookup", "--no-progress", *args], cwd=course,
                          env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"embedding-lab grade {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return time.perf_counter() - start


def cluster_against_local(base: Path, n: int, workers: int) -> dict:
    from dask_cluster import LocalCluster
    import grading_throughput

    course = make_course(base / "local", n)
    remote = base / "remote"
    shutil.copytree(course, remote)
    local_s = timed(course, "--jobs", str(workers))
    cluster = LocalCluster(base / "dask")
    try:
        for i in range(workers):
            cluster.add_worker(f"w{i}")
        cluster.wait_for_workers(workers)
        remote_s = timed(remote, "--scheduler-file", str(cluster.scheduler_file))
        warm_s = timed(remote, "--scheduler-file", str(cluster.scheduler_file), "--force")  # workers already warm
    finally:
        cluster.close()
    same = grading_throughput.scores(course) == grading_throughput.scores(remote)
    return {"local_s": local_s, "remote_s": remote_s, "remote_warm_s": warm_s, "same_scores": same,
            **carried(course)}


def compare(base: Path, n: int, w: int) -> bool:
    got = cluster_against_local(base, n, w)
    print(f"local  embedding-lab grade --jobs {w}        : {got['local_s']:7.1f} s  "
          f"{got['local_s'] / n:6.3f} s/submission", flush=True)
    print(f"cluster {w} workers x 1 thread (first run)   : {got['remote_s']:7.1f} s  "
          f"{got['remote_s'] / n:6.3f} s/submission  (+{(got['remote_s'] - got['local_s']) / n:.3f})")
    print(f"cluster, workers warm (--force)          : {got['remote_warm_s']:7.1f} s  "
          f"{got['remote_warm_s'] / n:6.3f} s/submission  (+{(got['remote_warm_s'] - got['local_s']) / n:.3f})")
    print(f"same per-cell scores                     : {got['same_scores']}")
    print(f"one task carries: files {got['task_files_bytes']} B (tar), the source's files "
          f"{got['source_files_bytes']} B (tar), plan {got['task_plan_bytes']} B (JSON); "
          f"its result's outputs ~{got['result_outputs_bytes']} B", flush=True)
    return got["same_scores"]


def carried(course: Path) -> dict:
    """Bytes one task carries (files as tars, plan as JSON) and one result returns, for one graded submission."""
    from autograder.grading import cluster_wire, runner
    from autograder.grading.files import copy_files
    from autograder.grading.records import Graded

    report = json.loads((course / "grading-report-a1_lookup.json").read_text())
    student = report["submissions"][0]["student"]
    folder = course / "submitted" / student / "a1_lookup"
    with tempfile.TemporaryDirectory() as tmp:
        copy_files(folder, Path(tmp))
        files = len(cluster_wire.bundle(Path(tmp)))
    with tempfile.TemporaryDirectory() as tmp:
        copy_files(course / "source" / "a1_lookup", Path(tmp))
        source = len(cluster_wire.bundle(Path(tmp)))
    from autograder.grading.gradebook_writer import source_notebooks
    sources = source_notebooks(f"sqlite:///{course / 'gradebook.db'}", course, "a1_lookup")
    _, steps, known, events = runner.prepare(folder / "a1_lookup.ipynb", "a1_lookup", sources["a1_lookup"])
    graded = Graded(student, "a1_lookup", "a1_lookup", outputs=dict(known))
    plan = len(json.dumps(cluster_wire.task(steps, runner.Limits(), graded)))
    # Its result as a worker sends it: the autograded notebook's outputs are what it carries.
    import nbformat
    nb = nbformat.read(course / "autograded" / student / "a1_lookup" / "a1_lookup.ipynb", as_version=4)
    outputs = sum(len(json.dumps(c.get("outputs", []))) for c in nb.cells)
    return {"task_files_bytes": files, "source_files_bytes": source, "task_plan_bytes": plan,
            "result_outputs_bytes": outputs}


def store_rate(base: Path, n: int, db_url: str | None, label: str) -> tuple[float, float]:
    """Submissions per second the grading process reads, plans and stores, the running being instant;
    and its CPU seconds per submission (what a loaded machine changes least)."""
    from autograder.grading import runner
    from autograder.grading.records import Output
    from autograder.results import Verdict

    course = make_course(base / label, n, db_url)

    def instant(steps, limits, graded, submitted, source, course_root):
        for step in steps:
            if step.kind != "skip":
                graded.outputs[step.cell_index] = Output(verdict=Verdict(True) if step.is_test else None)
        return runner.finish(steps, graded)

    original, started = runner._execute, runner.start_warm_server
    runner.start_warm_server = lambda mode: None
    runner._execute = instant  # the seam: what a pool thread runs per submission, answered at once
    try:
        start, cpu = time.perf_counter(), time.process_time()
        result = runner.grade_assignment(course, "a1_lookup", jobs=1)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        runner._execute, runner.start_warm_server = original, started
    assert len(result.graded) == n and not result.failed, result.failed
    return n / seconds, cpu / n


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="submissions graded locally and on the cluster (0: skip)")
    parser.add_argument("--workers", type=int, default=2, help="dask workers (and local --jobs)")
    parser.add_argument("--store", type=int, default=400, help="submissions stored to measure the writer's rate")
    args = parser.parse_args(argv)

    from sqlalchemy.exc import SAWarning

    import postgres_server

    warnings.filterwarnings("ignore", category=SAWarning)
    base = Path(tempfile.mkdtemp(prefix="cluster-bench-"))
    try:
        print(f"{os.cpu_count()} cores, load average before: {os.getloadavg()}")
        same = compare(base / "compare", args.n, args.workers) if args.n else True
        rate, cpu = store_rate(base / "store", args.store, None, "sqlite")
        print(f"grading process, SQLite    : {rate:7.1f} submissions/s read, planned and stored ({args.store}); "
              f"{cpu:.3f} CPU s each", flush=True)
        why = postgres_server.unavailable()
        if why:
            print(f"grading process, PostgreSQL: not measured ({why})")
        else:
            with postgres_server.postgres_server() as url:
                rate, cpu = store_rate(base / "store", args.store, url, "postgres")
            print(f"grading process, PostgreSQL: {rate:7.1f} submissions/s read, planned and stored ({args.store}); "
                  f"{cpu:.3f} CPU s each (the server's own not counted)")
        print(f"load average after: {os.getloadavg()}")
        return 0 if same else 1
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
