"""nearest and analogy on all 400,000 GloVe rows, timed against the grader's own vectorised search."""
from __future__ import annotations

import math
import signal
import time

import numpy as np
import torch

from autograder.checks.toolbox import check, Student


SLOWER_THAN_VECTORISED = 100
"""How many times the time of the grader's own vectorised search a student's search of all
400,000 rows may take. Whole-array solutions use 5 to 30 times as much (normalising every row in
torch, sorting every score with a Python key, inverting the vocab dict on each call), and up to 50
in a loaded sandbox; a loop that computes one row's cosine at a time in torch uses about 500 times
as much (measured on 2 cores, 2026-12). A search still running at the limit is stopped there, so a
loop costs the grader seconds, not minutes."""
# Bound at import: a student cell cannot swap the clocks the probe reads.
_cpu_time, _wall_time = time.process_time, time.perf_counter
# One torch thread while a search is timed, as in the hardened grader's sandbox: CPU time counts every
# thread, so under stock nbgrader on a many-core machine a right matrix product would look many times
# slower than it is.
_get_threads, _set_threads = torch.get_num_threads, torch.set_num_threads


class _Overtime(BaseException):
    """Raised into a search that used up its time (a BaseException: ``except Exception`` lets it through)."""


def _all_glove() -> tuple[dict[str, int], torch.Tensor, np.ndarray]:
    """All 400,000 rows: a fresh vocab and a fresh tensor for the student, and the file's
    memory-mapped rows (read-only, shared) for the grader. Nothing is kept between checks: a
    sandbox's memory goes to the student's search, not to copies of the table."""
    from widgets import glove_numpy

    vocab, rows = glove_numpy(None)
    return vocab, torch.from_numpy(np.array(rows)), rows


def _vectorised_search(rows: np.ndarray, query: np.ndarray, left_out: list[int], k: int) -> np.ndarray:
    """The grader's own search, the yardstick: every row's cosine with ``query`` at once, then a top-k."""
    scores = rows @ query
    norms = np.sqrt(np.einsum("ij,ij->i", rows, rows)) * math.sqrt(float(query @ query))
    np.divide(scores, norms, out=scores, where=norms > 0)
    scores[left_out] = -np.inf
    return np.argpartition(-scores, k)[:k]


def _timed(fn, *args, **kwargs) -> float:
    """Seconds ``fn(*args, **kwargs)`` took: the smaller of CPU and wall-clock time. A busy machine stretches the
    wall clock, and idle math-library threads spinning on a many-core machine add CPU time (a
    yardstick inflated that way let a Python loop pass); neither stretches both."""
    cpu, wall = _cpu_time(), _wall_time()
    fn(*args, **kwargs)
    return min(_cpu_time() - cpu, _wall_time() - wall)


def _stopped_after(budget: float, fn: Student, stopped: list[bool]) -> Student:
    """``fn``, stopped once it has taken ``budget`` seconds of both CPU and wall-clock time
    (``stopped[0]`` then becomes True), as :func:`_timed` measures.

    A SIGPROF timer (CPU time of the whole process) raises :class:`_Overtime` into the running
    code once the wall clock has passed the budget too; where timers cannot be set (not the main
    thread, no setitimer), ``fn`` runs to the end.
    """
    armed = [True]
    started = [0.0]

    def overtime(signum, frame):
        if armed[0] and _wall_time() - started[0] >= budget:
            raise _Overtime()

    def run(*args, **kwargs):
        threads = _get_threads()
        _set_threads(1)
        try:
            return timed_run(*args, **kwargs)
        finally:
            _set_threads(threads)

    def timed_run(*args, **kwargs):
        try:
            previous = signal.signal(signal.SIGPROF, overtime)
            started[0] = _wall_time()
            signal.setitimer(signal.ITIMER_PROF, budget, 0.05)  # again every 50 ms of CPU time until stopped
        except (ValueError, AttributeError, OSError):
            return fn(*args, **kwargs)
        try:
            result = fn(*args, **kwargs)
            armed[0] = False  # still inside try: a timer that fires here is caught below
            return result
        except _Overtime:
            armed[0] = False
            stopped[0] = True
            return None
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0, 0)
            signal.signal(signal.SIGPROF, previous)

    return Student(fn.name, run)


def _vectorised_step(p, fn, args: tuple, rows: np.ndarray, query: np.ndarray, left_out: list[int],
                     what: str) -> None:
    """Call ``fn(*args)`` on all 400,000 rows with a CPU-time budget of ``SLOWER_THAN_VECTORISED``
    times the grader's own search of ``rows``; judge only whether it finished within it."""
    budget = SLOWER_THAN_VECTORISED * min(_timed(_vectorised_search, rows, query, left_out, 5) for _ in range(3))
    stopped = [False]
    # The values are the other cells' rules: only the time is judged here.
    spent = _timed(p.call, _stopped_after(budget, fn, stopped), *args, what=what)
    p.expect(not stopped[0] and spent <= budget,
             f"{what} took more than {SLOWER_THAN_VECTORISED} times the time of a vectorised search of the "
             "same rows (the test stops it there): compute every row's cosine at once (one matrix-vector product "
             "over all rows, then a top-k), not one row at a time in a Python loop")


@check
def nearest_vectorised(p, nearest):
    """nearest is vectorised: on all 400,000 GloVe rows it takes about the time of one vectorised search."""
    vocab, vectors, rows = _all_glove()  # the student's own copies, made before the clock starts
    row = vocab["beijing"]
    query = np.array(rows[row])
    _vectorised_step(p, nearest, ("beijing", vocab, vectors, 5), rows, query, [row],
                     "nearest('beijing', vocab, vectors, k=5) on all 400,000 GloVe rows")


@check
def analogy_vectorised(p, analogy):
    """analogy is vectorised: on all 400,000 GloVe rows it takes about the time of one vectorised search."""
    vocab, vectors, rows = _all_glove()  # the student's own copies, made before the clock starts
    inputs = [vocab[w] for w in ("man", "king", "woman")]
    unit = [np.array(rows[r], dtype=np.float64) / np.linalg.norm(rows[r]) for r in inputs]
    _vectorised_step(p, analogy, ("man", "king", "woman", vocab, vectors, 3), rows,
                     (unit[1] - unit[0] + unit[2]).astype(np.float32), inputs,
                     "analogy('man', 'king', 'woman', vocab, vectors, k=3) on all 400,000 GloVe rows")
