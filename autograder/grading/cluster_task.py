"""What a Dask worker runs for one submission: the same sandboxed warm server as a local run.

The worker has the same install as the grading machine (this package, bubblewrap) and
nothing of the course: the task brings the planned steps, the limits and the working
copy's files (``cluster_wire.py``). It refuses, with the reason, where the namespace
sandbox cannot run (never grading without it unless ``--isolation none`` was asked
for), and answers with one JSON text: no object of its own reaches the grading process.
"""
from __future__ import annotations

from pathlib import Path

from . import cluster_wire, isolation
from .budget import budgets


def can_grade(mode: str) -> dict:
    """Whether this worker can grade behind ``mode`` (``client.run`` asks every worker before a run):
    ``{"refused": reason or None, "budget": how memory is kept here}``."""
    reason = isolation.unavailable_reason() if mode == isolation.NAMESPACES else None
    if reason is None:
        from .warm_server import start_warm_server

        start_warm_server(mode)  # its imports (torch) run while the grading process plans the submissions
    return {"refused": reason, "budget": None if reason else budgets().describe()}


def grade(task: dict, source_files: bytes, student_files: bytes) -> str:
    """Run one submission's steps here (the grading process judges them again); a JSON text."""
    from .runner import run_submission  # the worker imports the grading machinery once, on its first task

    limits = cluster_wire.limits_of(task)
    refused = can_grade(limits.isolation)["refused"]
    if refused:
        return cluster_wire.refusal(f"{_address()}: {refused}")
    steps, graded = cluster_wire.steps_of(task), cluster_wire.graded_of(task)

    def fill(job: Path) -> None:  # as runner.working_copy: the student's files, then the source's over them
        cluster_wire.unbundle(student_files, job)
        cluster_wire.unbundle(source_files, job)

    run_submission(steps, limits, graded, fill)
    return cluster_wire.result(graded, task["known"], limits.isolation, budgets().describe())


def _address() -> str:
    try:
        from distributed import get_worker

        return f"worker {get_worker().address}"
    except (ImportError, ValueError):
        return "this worker"
