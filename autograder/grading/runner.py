"""``embedding-lab grade``: repair, run and judge in parallel, then store with nbgrader.

Stages, for every submission ``submitted/<student>/<assignment>/<notebook>.ipynb``:

1. read and repair it against the gradebook's source cells (``repair.py``), plan
   its steps (``plan.py``);
2. run the steps in sandboxes forked from a warm server, ``jobs`` submissions at
   a time, and judge the checks in this process (``worker.py``);
3. meanwhile, nbgrader's Autograde converter stores each result in submission
   order as it arrives (``gradebook.py``), so the gradebook, ``autograded/``,
   feedback and export are exactly nbgrader's.
"""
from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config, PyFileConfigLoader

from autograder.pipeline import ensure_tools_on_path

from .gradebook import GradingSetupError, HardenedAutograde, Prepared, source_notebooks
from .plan import plan
from .repair import SourceNotebook, repair
from .results import Event, Graded
from .server import start_warm_server
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


def load_config(course_root: Path) -> Config:
    config = Config()
    if (course_root / "nbgrader_config.py").is_file():
        config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(course_root)).load_config())
    config.CourseDirectory.root = str(course_root)
    return config


def course_timeout(course_root: Path, default: float = 30.0) -> float:
    """The per-cell timeout the course configured for nbgrader's Execute preprocessor, if any."""
    config = load_config(course_root)
    for section in ("Execute", "ExecutePreprocessor"):
        value = config.get(section, {}).get("timeout")
        if isinstance(value, (int, float)) and value > 0:
            return float(value)
    return default


def _timestamp(coursedir: CourseDirectory, path: str):
    return coursedir.get_existing_timestamp(path)


def pending_submissions(coursedir: CourseDirectory, assignment: str, student: str, force: bool) -> tuple[list, list]:
    """(student, notebook path) pairs nbgrader's converter will process, and the students it will skip.

    Mirrors ``BaseConverter.init_destination`` so no work is done for skipped students.
    """
    pending, skipped = [], []
    root = Path(coursedir.format_path(coursedir.submitted_directory, ".", ".")).resolve()
    excluded = set(filter(None, (coursedir.student_id_exclude or "").split(",")))
    for folder in sorted(root.glob(f"{student}/{assignment}")):
        sid = folder.parent.name
        if sid in excluded or not folder.is_dir():
            continue
        dest = coursedir.format_path(coursedir.autograded_directory, sid, assignment)
        new, old = _timestamp(coursedir, str(folder)), _timestamp(coursedir, dest)
        if os.path.exists(dest) and not force and not (new and old and new > old):
            skipped.append(sid)
            continue
        pending += [(sid, path) for path in sorted(folder.glob("*.ipynb"))]
    return pending, skipped


def prepare(path: Path, assignment: str, source: SourceNotebook):
    """Read and repair one submitted notebook; returns (repaired notebook, steps, known outputs, events)."""
    events: list[Event] = []
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # not JSON, not a notebook, unreadable: grade it as an empty notebook
        events.append(Event("repair", f"the notebook could not be read ({type(exc).__name__}); graded as empty"))
        repaired, _ = repair(nbformat.v4.new_notebook(), source)  # every restored cell: one event says it all
        steps, known, _ = plan(repaired, assignment, source)
        return repaired, steps, known, events
    repaired, repairs = repair(nb, source)
    steps, known, planned = plan(repaired, assignment, source)
    return repaired, steps, known, events + repairs + planned


def grade_assignment(course_dir: Path | str, assignment: str, *, student: str = "*", force: bool = False,
                     jobs: int | None = None, limits: Limits = Limits(), progress=None,
                     log: logging.Logger | None = None) -> GradingRun:
    """Grade every pending submission of ``assignment``; see the module docstring."""
    ensure_tools_on_path()  # nbgrader shells out to `alembic` when it opens a new gradebook
    start_warm_server()  # it imports torch on the other core while we read the gradebook
    root = Path(course_dir).resolve()
    config = load_config(root)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    coursedir.student_id = student
    sources = source_notebooks(coursedir.db_url, root, assignment)
    pending, skipped = pending_submissions(coursedir, assignment, student, force)
    source_dir = Path(coursedir.format_path(coursedir.source_directory, ".", assignment))
    run = GradingRun(assignment, skipped=skipped, db_url=coursedir.db_url)
    if progress is not None:
        progress.start(len(pending))
    jobs = jobs or os.cpu_count() or 1
    # The threads that talk to sandboxes wake on every answer; with Python's default
    # 5 ms GIL switch interval each wake-up could wait behind nbgrader's converter.
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)

    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="grade") as pool:
        def start(sid: str, path: Path) -> Future:
            notebook = path.stem
            source = sources.get(notebook)
            if source is None:  # nbgrader skips notebooks it does not know; so do we
                future: Future = Future()
                future.set_exception(GradingSetupError(f"unknown notebook {notebook}"))
                return future
            repaired, steps, known, events = prepare(path, assignment, source)
            prepared.repaired[(sid, notebook)] = repaired
            graded = Graded(sid, assignment, notebook, outputs=dict(known), events=events)
            return pool.submit(_execute, steps, limits, graded, path.parent, source_dir, root)

        def fallback(sid: str, notebook: str) -> Future:
            path = Path(coursedir.format_path(coursedir.submitted_directory, sid, assignment)) / f"{notebook}.ipynb"
            return start(sid, path)

        prepared = Prepared(fallback)
        prepared.on_stored = lambda graded: (run.graded.append(graded), progress and progress(graded))
        for sid, path in pending:
            prepared.results[(sid, path.stem)] = start(sid, path)

        logger = log or _quiet_logger()
        converter = HardenedAutograde(prepared, coursedir=coursedir, config=config, force=force, log=logger)
        errors = _ErrorCollector()
        logger.addHandler(errors)
        try:
            converter.start()
        except Exception as exc:  # NbGraderException after per-student failures, or a setup problem
            run.failed.append(("*", f"{type(exc).__name__}: {exc}"))
        finally:
            logger.removeHandler(errors)
            for future in prepared.results.values():
                future.cancel()
        run.failed += [("?", message) for message in errors.messages]
    sys.setswitchinterval(switch_interval)
    return run


def working_copy(submitted: Path, source: Path, into: Path) -> None:
    """The folder a submission runs in, as nbgrader autograde makes it.

    The student's files, then the source assignment's files (not notebooks) over
    them, so a4's ``training.py`` and corpus are the instructor's.
    """
    ignore = shutil.ignore_patterns("*.ipynb", ".ipynb_checkpoints", "__pycache__")
    for folder in (submitted, source):
        if folder.is_dir():
            shutil.copytree(folder, into, ignore=ignore, dirs_exist_ok=True, symlinks=True)


def _execute(steps, limits: Limits, graded: Graded, submitted: Path, source: Path, course_root: Path) -> Graded:
    with tempfile.TemporaryDirectory(prefix=f"grade-{graded.student}-") as workdir:
        try:
            working_copy(submitted, source, Path(workdir))
        except OSError as exc:  # an odd file in the submission: run without it, and say so
            graded.events.append(Event("repair", f"could not copy the submission's files ({exc}); ran without them"))
        run_steps(steps, limits, graded, workdir=workdir, unwritable=(str(course_root),))
    graded.verdicts = {}
    for step in steps:
        if step.is_test:
            out = graded.outputs.get(step.cell_index)
            graded.verdicts[step.grade_id] = out.verdict if out else "not run"
    return graded


class _ErrorCollector(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage().strip().splitlines()[-1][:300] if record.getMessage() else "")


def _quiet_logger() -> logging.Logger:
    logger = logging.getLogger("embedding_lab.grade.nbgrader")
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    return logger
