"""``embedding-lab grade --scheduler ...``: the submissions run on a Dask cluster's workers.

The grading process does everything but run the cells, as it does locally: it reads,
repairs and plans each submission, judges what comes back and alone writes the
gradebook, ``autograded/`` and the report. A task carries the plan, the limits and the
working copy's files (a tar: the student's files, then the source assignment's), so the
workers need the same install and nothing of the course (``cluster_task.py``).

Each submission is stored at most once: its result arrives as one task's one JSON text,
is checked (``cluster_wire.read_result``), judged here, and handed to nbgrader's
converter, which stores a submission folder once. A submission whose task cannot finish
(its worker died more often than the scheduler allows, the scheduler went away, a
malformed result, every worker refusing) is not stored at all: it is reported, with the
reason, as not graded, and a later run grades it (it has no ``autograded/`` folder).
A worker that dies mid-task costs only a retry elsewhere (Dask reschedules its tasks).
"""
from __future__ import annotations

import collections
import itertools
import secrets
import tempfile
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from .files import copy_files
from .gradebook_writer import GradingSetupError, NotGraded
from .records import Event, Graded
from .runner import finish
from . import cluster_task, cluster_wire
from .worker import Limits

def connect_timeout() -> float:
    """Seconds to reach the scheduler and see a first worker: Dask's ``distributed.comm.timeouts.connect``
    (30 s unless configured, e.g. ``DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=10s``)."""
    import dask
    from dask.utils import parse_timedelta

    return float(parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"), default="seconds") or 30)
IN_FLIGHT_PER_THREAD = 4
"""Tasks sent ahead per worker thread (of the workers there at the start; Dask balances them)."""
ATTEMPTS = 3
"""Times a submission is sent again after a worker refused it (no namespaces there)."""


@dataclass(frozen=True)
class ClusterOptions:
    """Where the scheduler is, and the certificates to reach it (``--scheduler``, ``--tls-*``)."""

    address: str | None = None
    """``tcp://HOST:8786`` or ``tls://HOST:8786``."""
    scheduler_file: str | None = None
    """A file ``dask scheduler --scheduler-file`` wrote (its address)."""
    tls_ca_file: str | None = None
    tls_cert: str | None = None
    tls_key: str | None = None

    def security(self):
        """``distributed.Security`` with these certificates (None: the Dask configuration's own)."""
        if not (self.tls_ca_file or self.tls_cert or self.tls_key):
            return None
        from distributed.security import Security

        return Security(tls_ca_file=self.tls_ca_file, tls_client_cert=self.tls_cert, tls_client_key=self.tls_key,
                        require_encryption=True)

    @property
    def where(self) -> str:
        return self.address or f"the scheduler of {self.scheduler_file}"


class ClusterGrading:
    """A connection to the cluster for one run: ``submit`` sends one planned submission and returns a
    ``concurrent.futures.Future`` of its judged ``Graded`` (or a :class:`NotGraded` error)."""

    def __init__(self, options: ClusterOptions, limits: Limits, source: Path):
        from distributed import Client

        self.options, self.limits = options, limits
        try:
            # msgpack only: a result that is not plain data (a pickled object) is refused, never unpickled.
            self.client = Client(options.address, scheduler_file=options.scheduler_file,
                                 security=options.security(), timeout=connect_timeout(), deserializers=("msgpack",),
                                 set_as_default=False)
        except Exception as exc:  # refused, timed out, a TLS handshake or configuration that fails
            raise GradingSetupError(f"could not reach {options.where}: {type(exc).__name__}: "
                                    f"{str(exc).splitlines()[0][:300] if str(exc) else ''}; nothing was graded") from None
        try:
            self.refused, self.budget = self._ask_workers()
        except BaseException:
            self.client.close()
            raise
        with tempfile.TemporaryDirectory(prefix="embedding-lab-source-") as folder:
            copy_files(source, Path(folder)) if source.is_dir() else None
            self.source_files = cluster_wire.bundle(Path(folder))
        self._lock = threading.Lock()
        self._names = itertools.count()
        self._waiting: collections.deque = collections.deque()
        self._here = threading.local()
        self._sent = 0
        threads = sum(w.get("nthreads", 1) for w in self.client.scheduler_info(n_workers=-1)["workers"].values())
        self.in_flight = IN_FLIGHT_PER_THREAD * max(threads, 1)
        """Tasks on the cluster at once: enough to keep every worker thread busy while results travel."""

    def _ask_workers(self) -> tuple[dict[str, str], str]:
        try:
            self.client.wait_for_workers(1, timeout=connect_timeout())
        except TimeoutError:
            raise GradingSetupError(f"no worker joined {self.options.where} within {connect_timeout():g} s; "
                                    "nothing was graded") from None
        answers = self.client.run(cluster_task.can_grade, self.limits.isolation)
        refused = {address: str(answer.get("refused")) for address, answer in answers.items()
                   if not isinstance(answer, dict) or answer.get("refused")}
        if len(refused) == len(answers):
            raise GradingSetupError("no worker of the cluster can grade untrusted code: " + "; ".join(
                f"{address}: {why}" for address, why in sorted(refused.items())) + "; nothing was graded")
        budgets = sorted({str(a.get("budget")) for a in answers.values() if isinstance(a, dict) and not a.get("refused")})
        said = f"on {len(answers) - len(refused)} worker(s) of {self.options.where}: " + " / ".join(budgets)
        if refused:
            said += "; refused by " + "; ".join(f"{address} ({why})" for address, why in sorted(refused.items()))
        return refused, said

    def submit(self, steps, limits: Limits, graded: Graded, submitted: Path, source: Path, course_root: Path
               ) -> Future:
        """As ``runner._execute`` on a pool, but on the cluster (the source's files: ``self.source_files``).

        At most ``in_flight`` tasks are on the cluster at once; the others wait here, as a plan
        (their files are read when they are sent), so the scheduler's memory holds a few tasks,
        not a whole course's."""
        done: Future = Future()
        done.set_running_or_notify_cancel()
        with self._lock:
            self._waiting.append((steps, graded, submitted, done))
        self._pump()
        return done

    def _pump(self) -> None:
        if getattr(self._here, "pumping", False):  # called back from inside the loop below: it goes on anyway
            return
        self._here.pumping = True
        try:
            self._send_waiting()
        finally:
            self._here.pumping = False

    def _send_waiting(self) -> None:
        while True:
            with self._lock:
                if not self._waiting or self._sent >= self.in_flight:
                    return
                steps, graded, submitted, done = self._waiting.popleft()
                self._sent += 1
            try:
                with tempfile.TemporaryDirectory(prefix="embedding-lab-copy-") as folder:
                    problems = copy_files(submitted, Path(folder)) if submitted.is_dir() else []
                    files = cluster_wire.bundle(Path(folder))
            except (OSError, ValueError) as exc:
                self._finished(done, error=NotGraded(f"its files could not be sent to the cluster: {exc}"))
                continue
            for problem in problems:
                graded.note(Event("repair", problem))
            self._send(cluster_wire.task(steps, self.limits, graded), files, steps, graded, done, attempt=1)

    def _finished(self, done: Future, graded: Graded | None = None, error: Exception | None = None) -> None:
        """One task fewer on the cluster: its result or why it has none; the next waiting task goes."""
        if error is not None:
            done.set_exception(error)
        else:
            done.set_result(graded)
        with self._lock:
            self._sent -= 1
        self._pump()

    def _send(self, task: dict, files: bytes, steps, graded: Graded, done: Future, attempt: int) -> None:
        allowed = None
        if self.refused:
            allowed = [w for w in self.client.scheduler_info(n_workers=-1)["workers"] if w not in self.refused]
        key = f"grade-{secrets.token_hex(4)}-{next(self._names)}"
        if self.client.status != "running":  # it lost the scheduler: what was not sent stays here
            self._finished(done, error=NotGraded(f"not sent: the client lost {self.options.where} "
                                                 f"({self.client.status}); not graded"))
            return
        try:
            future = self.client.submit(cluster_task.grade, task, self.source_files, files, key=key, pure=False,
                                        workers=allowed or None, allow_other_workers=False)
        except Exception as exc:  # the client has closed (the scheduler went away)
            self._finished(done, error=NotGraded(f"not sent to the cluster ({type(exc).__name__}: {exc})"))
            return
        future.add_done_callback(lambda f: self._arrived(f, task, files, steps, graded, done, attempt))

    def _arrived(self, future, task: dict, files: bytes, steps, graded: Graded, done: Future, attempt: int) -> None:
        try:
            outcome = self._outcome(future, steps)
        except NotGraded as exc:
            self._finished(done, error=exc)
            return
        if "refused" in outcome:
            reason = outcome["refused"]
            with self._lock:
                address = reason.split(": ", 1)[0].removeprefix("worker ")
                self.refused.setdefault(address, reason)
            if attempt >= ATTEMPTS:
                self._finished(done, error=NotGraded(f"refused by the cluster's workers ({reason}); not graded"))
            else:
                self._send(task, files, steps, graded, done, attempt + 1)
            return
        fresh = outcome["outputs"]
        cluster_wire.judge(steps, fresh)  # before merging: the cells known here keep their own verdicts
        graded.outputs.update(fresh)
        graded.events = outcome["events"]
        graded.restarts, graded.seconds = outcome["restarts"], outcome["seconds"]
        self._finished(done, finish(steps, graded))

    def _outcome(self, future, steps) -> dict:
        status = future.status
        if status == "cancelled":
            raise NotGraded(f"the cluster lost its task ({_reason(future)}); not graded")
        if status != "finished":
            try:
                error = future.exception()
            except Exception as exc:  # the exception itself could not be read
                error = exc
            raise NotGraded(f"its task on the cluster failed ({type(error).__name__}: {str(error)[:300]}); not graded")
        try:
            text = future.result()
        except Exception as exc:  # a result that is not plain data: refused by the msgpack-only client
            raise NotGraded(f"the worker's result was refused ({type(exc).__name__}: {str(exc)[:200]}); "
                            "not graded") from None
        try:
            return cluster_wire.read_result(text, steps, self.limits)
        except cluster_wire.BadResult as exc:
            raise NotGraded(f"the worker's result was malformed ({exc}); not graded") from None

    def close(self) -> None:
        try:
            self.client.close(timeout=10)
        except Exception:  # a scheduler that went away: nothing left to close
            pass


def _reason(future) -> str:
    """Dask's words for why a task was cancelled (``... cancelled for reason: scheduler-connection-lost``)."""
    try:
        future.result(timeout=5)  # done: raises at once
    except Exception as exc:
        return " ".join(str(exc).split())[:300] or type(exc).__name__
    return "cancelled"
