"""``embedding-lab grade``: repair, run and judge in parallel, then store with nbgrader.

Stages, for every submission ``submitted/<student>/<assignment>/<notebook>.ipynb``:

1. read and repair it against the gradebook's source cells (``repair.py``), plan
   its steps (``plan.py``);
2. run the steps in sandboxes forked from a warm server, ``jobs`` submissions at
   a time, and judge the checks in this process (``worker.py``);
3. meanwhile, nbgrader's Autograde converter stores each submission as soon as it
   is graded (``gradebook.py``: never behind a slow one), so the gradebook,
   ``autograded/``, feedback and export are exactly nbgrader's.

Whatever goes wrong with one submission (an exception while preparing, running or
storing it) is reported on its line; the others go on.
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.coursedir import CourseDirectory

from autograder.course import ensure_tools_on_path, load_config
from autograder.results import Verdict

from .budget import budgets
from .gradebook import GradingSetupError, HardenedAutograde, Prepared, source_notebooks
from .plan import explain_undefined, plan
from .repair import SourceNotebook, repair, unreadable_notebook
from .results import Event, Graded, one_line
from .files import (
    copy_files, plain_text, readable_notebook_size, remove_tree, timestamp_problem, without_outputs,
)
from .server import start_warm_server, warm_server
from .worker import Limits, run_steps


@dataclass
class GradingRun:
    """The outcome of one ``embedding-lab grade`` run."""

    assignment: str
    graded: list[Graded] = field(default_factory=list)
    """Every submitted notebook stored in the gradebook, in order."""
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(student, problem) for submissions nbgrader could not store."""
    skipped: list[str] = field(default_factory=list)
    """Students already autograded (use ``force`` to grade again)."""
    db_url: str = ""
    """The gradebook the scores went to."""
    isolation: str = ""
    """The boundary the submissions ran behind: ``namespaces`` or ``none``."""
    budget: str = ""
    """How each submission's total memory (and CPU share) was kept: cgroup v2 or a watchdog (``budget.py``)."""


def course_timeout(course_root: Path, default: float = 30.0) -> float:
    """The per-cell timeout the course configured for nbgrader's Execute preprocessor, if any."""
    config = load_config(course_root)
    for section in ("Execute", "ExecutePreprocessor"):
        value = config.get(section, {}).get("timeout")
        if isinstance(value, (int, float)) and value > 0:
            return float(value)
    return default


def submission_problem(coursedir: CourseDirectory, sid: str, folder: Path) -> str | None:
    """Why nbgrader could not take this submission folder at all (it would stop the run), or None."""
    if not _STUDENT_ID.fullmatch(sid):
        return f"student id {sid!r} is not a plain name (letters, digits and . _ @ + - only); not graded"
    if folder.is_symlink() or folder.parent.is_symlink():
        return "the submission folder is a link; not followed"
    problem = timestamp_problem(folder)  # nbgrader reads the whole file: a 512 MiB one too
    if problem:
        return problem
    try:
        coursedir.get_existing_timestamp(str(folder))
    except (OSError, UnicodeDecodeError, ValueError, OverflowError) as exc:
        return f"timestamp.txt could not be read as a date ({type(exc).__name__}); not graded"
    except Exception as exc:  # nbgrader's fail() on an invalid date string
        return f"timestamp.txt does not hold a valid date ({str(exc)[:80] or type(exc).__name__}); not graded"
    return None


def _existing_timestamp(coursedir: CourseDirectory, path: str):
    try:
        return coursedir.get_existing_timestamp(path)
    except Exception:  # our own autograded/ copy: treat an unreadable one as absent
        return None


def pending_submissions(coursedir: CourseDirectory, assignment: str, student: str, force: bool
                        ) -> tuple[list, list, list]:
    """(student, notebook path) pairs nbgrader's converter will process, the students it will skip,
    and (student, problem) for submission folders that cannot be graded.

    Mirrors ``BaseConverter.init_destination`` so no work is done for skipped students.
    """
    pending, skipped, refused = [], [], []
    root = Path(coursedir.format_path(coursedir.submitted_directory, ".", ".")).resolve()
    excluded = set(filter(None, (coursedir.student_id_exclude or "").split(",")))
    for folder in sorted(root.glob(f"{student}/{assignment}")):
        sid = folder.parent.name
        if sid in excluded or not folder.is_dir():
            continue
        problem = submission_problem(coursedir, sid, folder)
        if problem:
            refused.append((sid, problem))
            continue
        dest = coursedir.format_path(coursedir.autograded_directory, sid, assignment)
        new, old = _existing_timestamp(coursedir, str(folder)), _existing_timestamp(coursedir, dest)
        if os.path.exists(dest) and not force and not (new and old and new > old):
            skipped.append(sid)
            continue
        pending += [(sid, path) for path in sorted(folder.glob("*.ipynb"))]
    return pending, skipped, refused


def prepare(path: Path | None, assignment: str, source: SourceNotebook):
    """Read and repair one submitted notebook; returns (repaired notebook, steps, known outputs, events).

    ``path`` None: graded as an empty notebook."""
    events: list[Event] = []
    unreadable = None
    try:
        if path is None:
            raise ValueError("no notebook")
        unreadable = readable_notebook_size(path)
        if unreadable:
            raise ValueError(unreadable)
        nb = plain_text(without_outputs(nbformat.read(path, as_version=4)))
    except Exception as exc:  # not JSON, not a notebook, unreadable: grade it as an empty notebook
        if path is None:  # the caller says why in its own event
            why = "the notebook could not be prepared for grading"
        else:
            why = str(exc) if unreadable else f"the notebook could not be read ({type(exc).__name__})"
            events.append(Event("repair", f"{why}; graded as empty"))
        repaired = unreadable_notebook(source, why)
        steps, known, _ = plan(repaired, assignment, source, unreadable=why)
        return repaired, steps, known, events
    repaired, repairs = repair(nb, source)
    steps, known, planned = plan(repaired, assignment, source)
    return repaired, steps, known, events + repairs + planned


def grade_assignment(course_dir: Path | str, assignment: str, *, student: str = "*", force: bool = False,
                     jobs: int | None = None, limits: Limits = Limits(), progress=None,
                     log: logging.Logger | None = None) -> GradingRun:
    """Grade every pending submission of ``assignment``; see the module docstring."""
    ensure_tools_on_path()  # nbgrader shells out to `alembic` when it opens a new gradebook
    start_warm_server(limits.isolation)  # it imports torch on the other core while we read the gradebook
    root = Path(course_dir).resolve()
    config = load_config(root)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    coursedir.student_id = student
    sources = source_notebooks(coursedir.db_url, root, assignment)
    pending, skipped, refused = pending_submissions(coursedir, assignment, student, force)
    run = GradingRun(assignment, skipped=skipped, failed=list(refused), db_url=coursedir.db_url,
                     isolation=limits.isolation, budget=budgets().describe())
    if progress is not None:
        progress.start(len(pending))

    def stored(graded: Graded) -> None:
        run.graded.append(graded)
        if progress is not None:
            progress(graded)

    with _quick_thread_switches(), ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1,
                                                      thread_name_prefix="grade") as pool:
        launcher = _Launcher(assignment, coursedir, root, sources, limits, pool)
        prepared = Prepared(launcher.launch, on_stored=stored)
        for sid, path in pending:
            prepared.begin((sid, path.stem), path)
        converter = HardenedAutograde(prepared, refused=frozenset(sid for sid, _ in refused), coursedir=coursedir,
                                      config=config, force=force, log=log or _quiet_logger())
        try:
            run.failed += _store_with_nbgrader(converter)
        finally:
            prepared.cancel_unstarted()  # what nbgrader did not reach (it stopped early)
    return run


@contextlib.contextmanager
def _quick_thread_switches():
    # The threads that talk to sandboxes wake on every answer; with Python's default
    # 5 ms GIL switch interval each wake-up could wait behind nbgrader's converter.
    previous = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


class _Launcher:
    """Starts one submitted notebook: repaired and planned here, its steps run on the pool."""

    def __init__(self, assignment: str, coursedir: CourseDirectory, course_root: Path,
                 sources: dict[str, SourceNotebook], limits: Limits, pool: ThreadPoolExecutor):
        self.assignment, self.coursedir, self.course_root = assignment, coursedir, course_root
        self.sources, self.limits, self.pool = sources, limits, pool
        self.source_dir = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))

    def launch(self, sid: str, notebook: str, path: Path | None = None):
        """(repaired notebook or None, future Graded) for ``sid``'s ``notebook``."""
        source = self.sources.get(notebook)
        if source is None:  # nbgrader skips notebooks it does not know; so do we
            future: Future = Future()
            future.set_exception(GradingSetupError(f"unknown notebook {notebook}"))
            return None, future
        if path is None:
            folder = self.coursedir.format_path(self.coursedir.submitted_directory, sid, self.assignment)
            path = Path(folder) / f"{notebook}.ipynb"
        try:
            repaired, steps, known, events = prepare(path, self.assignment, source)
        except Exception as exc:  # nothing in one submission stops the others: graded as empty, said so
            repaired, steps, known, events = prepare(None, self.assignment, source)
            events.insert(0, Event("error", f"the notebook could not be prepared ({type(exc).__name__}: "
                                            f"{str(exc)[:200]}); graded as empty"))
        graded = Graded(sid, self.assignment, notebook, outputs=dict(known))
        for event in events:
            graded.note(event)
        return repaired, self.pool.submit(_execute, steps, self.limits, graded, path.parent, self.source_dir,
                                          self.course_root)


def _store_with_nbgrader(converter: HardenedAutograde) -> list[tuple[str, str]]:
    """Run nbgrader's converter; (student or "*", problem) for what it could not store, one line each."""
    failed = []
    errors = _ErrorCollector(converter)
    converter.log.addHandler(errors)
    try:
        converter.start()
    except Exception as exc:  # a setup problem (a failed submission is caught per folder)
        failed.append(("*", one_line(f"{type(exc).__name__}: {exc}", 300)))
    finally:
        converter.log.removeHandler(errors)
    return failed + errors.lines()


def working_copy(submitted: Path, source: Path, into: Path) -> list[str]:
    """The folder a submission runs in, as nbgrader autograde makes it; returns what was left out.

    The student's files, then the source assignment's files (not notebooks) over
    them, so a4's ``training.py`` and corpus are the instructor's. Links out of the
    submission, special files and huge files are left out (``files.py``).
    """
    problems = copy_files(submitted, into) if submitted.is_dir() else []
    if source.is_dir():
        copy_files(source, into)
    return problems


def _execute(steps, limits: Limits, graded: Graded, submitted: Path, source: Path, course_root: Path) -> Graded:
    """Run one submission (on a pool thread). Whatever goes wrong is this submission's alone:
    an exception ends its grading with an event, and the cells not run score 0."""
    try:
        job = warm_server(limits.isolation).new_job(graded.student)
        try:
            for problem in working_copy(submitted, source, job):
                graded.note(Event("repair", problem))
            run_steps(steps, limits, graded, job=job, unwritable=(str(course_root),))
        finally:
            remove_tree(job)
    except Exception as exc:
        graded.note(Event("error", f"grading stopped early ({type(exc).__name__}: {str(exc)[:200]}); "
                                   "the cells not run score 0"))
    explain_undefined(steps, graded.outputs)
    graded.verdicts = {}
    for step in steps:
        if step.is_test:
            out = graded.outputs.get(step.cell_index)
            verdict = out.verdict if out is not None else None
            graded.verdicts[step.grade_id] = verdict if verdict is not None else Verdict(False, "not run")
    return graded


_STUDENT_ID = re.compile(r"\w[\w.@+-]{0,99}")  # no path, glob or list characters: nbgrader globs and splits ids


class _ErrorCollector(logging.Handler):
    """nbgrader's error messages, by the student whose folder was being stored."""

    def __init__(self, converter: HardenedAutograde):
        super().__init__(logging.ERROR)
        self.converter = converter
        self.by_student: dict[str, list[str]] = {}

    def emit(self, record: logging.LogRecord) -> None:
        student = self.converter.current_student or "?"
        self.by_student.setdefault(student, []).append(record.getMessage().strip())

    def lines(self) -> list[tuple[str, str]]:
        """One line per student: the exception nbgrader's traceback ends with, else its first message."""
        found = []
        for student, messages in self.by_student.items():
            tracebacks = [m for m in messages if m.startswith("Traceback")]
            chosen = (tracebacks[-1] if tracebacks else messages[0]).splitlines() or [""]
            found.append((student, one_line(chosen[-1], 300)))
        return found


def _quiet_logger() -> logging.Logger:
    logger = logging.getLogger("embedding_lab.grade.nbgrader")
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    return logger
