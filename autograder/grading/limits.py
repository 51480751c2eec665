"""Every limit a submission is graded under, and its default, written once.

``embedding-lab grade``'s options (``cli.py``), the grading run (``runner.py``, ``worker.py``) and
the course ``embedding-lab init`` writes (``autograder/course.py``) read their defaults here, so a
default changes in one place. ``Limits`` is handed, whole, to everything that runs a submission.
"""
from __future__ import annotations

from dataclasses import dataclass

from .isolation import NAMESPACES, Isolation

CELL_TIMEOUT = 30.0
"""Seconds one cell may run when the course sets no ``ExecutePreprocessor.timeout`` (nbconvert's
default, so ``embedding-lab grade`` and ``nbgrader autograde`` agree on such a course)."""
COURSE_CELL_TIMEOUT = 120
"""The ``ExecutePreprocessor.timeout`` that ``embedding-lab init`` writes into a course: each
notebook imports torch, which takes longer than :data:`CELL_TIMEOUT` on a slow or loaded machine."""
MEMORY_MB = 2048
"""MiB a submission may allocate beyond its sandbox's warm imports (``--memory-mb``)."""
SUBMISSION_TIMEOUTS = 10
"""A submission may take this many cell timeouts in all, unless ``--submission-timeout`` says otherwise."""


@dataclass(frozen=True)
class Limits:
    """Resource limits for one submission."""

    timeout: float = CELL_TIMEOUT
    """Seconds one cell (or one check) may run."""
    memory_mb: int = MEMORY_MB
    """Memory a submission may allocate beyond its sandbox's warm imports (MiB): in each process
    (address space) and in all its processes together (see ``budget.py``); 0 = no limit."""
    max_restarts: int = 5
    """Sandbox restarts allowed per submission before the remaining cells are given up."""
    isolation: Isolation = NAMESPACES
    """``namespaces`` (an OS sandbox per submission, see ``isolation.py``) or ``none``."""
    disk_mb: int = 256
    """Bytes a sandbox may write (its folder and /tmp each; also the largest file), MiB."""
    processes: int = 64
    """Processes and threads a sandbox may have at once (RLIMIT_NPROC of its own uid)."""
    cpu_seconds: int = 600
    """CPU time one sandbox may use in all (RLIMIT_CPU)."""
    total_seconds: float | None = None
    """Wall-clock seconds one submission may take in all, restarts and re-runs included
    (None: :data:`SUBMISSION_TIMEOUTS` x ``timeout``); the cells left when it is used up are not run."""
    output_bytes: int = 2 * 2**20
    """Characters of output (streams, results, errors) kept per submission; the rest is dropped."""

    @property
    def submission_seconds(self) -> float:
        return self.total_seconds if self.total_seconds is not None else SUBMISSION_TIMEOUTS * self.timeout
