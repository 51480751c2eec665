"""Store results in nbgrader's gradebook with nbgrader's own Autograde converter.

Execution and judging happen earlier, in parallel (``worker.py``). Here nbgrader's
``Autograde`` converter runs as ``nbgrader autograde`` would, with three changes:
its sanitize stage starts from our repaired notebook, its ``Execute``
preprocessor is replaced by :class:`FillOutputs`, which puts in the outputs
computed earlier (a failed check becomes an error output carrying the worded
message: that is how nbgrader scores 0 and what feedback shows), and it takes the
submission folders one at a time in the order they finish grading, not in the
order of their names. The speed-ups
of ``nbgrader_speedups.py`` apply meanwhile (same scores, less repeated work).
Everything else (timestamps, OverwriteCells, SaveAutoGrades, late penalties, permissions,
the ``autograded/`` notebooks) is nbgrader's own code, so formgrader, feedback
and export work unchanged.
"""
from __future__ import annotations

import os
from concurrent.futures import FIRST_COMPLETED, Future, wait
from pathlib import Path
from typing import Callable

import nbformat
from nbformat.v4 import new_output
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.converters import Autograde
from nbgrader.converters.base import BaseConverter, NbGraderException
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from sqlalchemy.exc import OperationalError

from autograder.checks._feedback import failure_traceback

from .files import copy_files
from .nbgrader_speedups import REPLACED_PREPROCESSORS, faster_storing, validate_once
from .repair import SourceCell, SourceNotebook
from .results import Graded, Output


class GradingSetupError(Exception):
    """The course is not ready to grade this assignment (worded for the command line)."""


def source_notebooks(db_url: str, course_root: Path, assignment: str) -> dict[str, SourceNotebook]:
    """The nbgrader cells of each notebook of ``assignment``, as the gradebook stores them."""
    try:
        return _source_notebooks(db_url, course_root, assignment)
    except OperationalError as exc:
        if "locked" in str(exc):
            raise GradingSetupError("the gradebook is locked by another program (the formgrader? another grading "
                                    "run?); nothing was graded; try again when it is free") from None
        raise GradingSetupError(f"the gradebook could not be read ({exc.orig}); nothing was graded") from None


def _source_notebooks(db_url: str, course_root: Path, assignment: str) -> dict[str, SourceNotebook]:
    with Gradebook(db_url) as gb:
        try:
            record = gb.find_assignment(assignment)
        except MissingEntry:
            raise GradingSetupError(f"assignment {assignment!r} is not in the gradebook; "
                                    f"run `nbgrader generate_assignment {assignment}` first") from None
        notebooks = {}
        for notebook in record.notebooks:
            grades = {c.name: c for c in notebook.grade_cells}
            solutions = {c.name for c in notebook.solution_cells}
            order = _cell_order(course_root / "source" / assignment / f"{notebook.name}.ipynb")
            cells = sorted(notebook.source_cells, key=lambda c: (order.get(c.name, len(order)), c.name))
            notebooks[notebook.name] = SourceNotebook(notebook.name, tuple(
                SourceCell(c.name, c.cell_type, c.source or "", bool(c.locked), c.name in solutions,
                           c.name in grades, float(grades[c.name].max_score) if c.name in grades else None)
                for c in cells))
    return notebooks


def _cell_order(path: Path) -> dict[str, int]:
    # The gradebook does not keep cell order; the source notebook does.
    try:
        nb = nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return {}
    ids = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.cells]
    return {gid: i for i, gid in enumerate(ids) if gid}


Launch = Callable[[str, str, "Path | None"], tuple["nbformat.NotebookNode | None", Future]]
"""``launch(student, notebook, path)``: repair the submission now and start running it;
returns the repaired notebook (None if there is nothing to store) and the future result."""


class Prepared:
    """What the converter needs per (student, notebook): the repaired notebook and the result.

    ``results`` holds futures from the parallel stage; a submission the converter
    reaches without one is launched on the spot. ``on_stored`` is told of each
    result once nbgrader has stored it.
    """

    def __init__(self, launch: Launch, on_stored: Callable[[Graded], None]):
        self.repaired: dict[tuple[str, str], nbformat.NotebookNode] = {}
        self.results: dict[tuple[str, str], Future] = {}
        self.on_stored = on_stored
        self._launch = launch

    def begin(self, key: tuple[str, str], path: Path | None = None) -> None:
        """Repair and start one submitted notebook (``path``: where it is, if already known)."""
        repaired, self.results[key] = self._launch(*key, path)
        if repaired is not None:
            self.repaired[key] = repaired

    def notebook(self, key: tuple[str, str]) -> nbformat.NotebookNode:
        if key not in self.repaired:
            self.begin(key)
        return self.repaired.pop(key)  # used once: nbgrader's preprocessors may change it

    def result(self, key: tuple[str, str]) -> Graded:
        if key not in self.results:
            self.begin(key)
        return self.results[key].result()  # waits for the parallel stage

    def cancel_unstarted(self) -> None:
        for future in self.results.values():
            future.cancel()

    def in_completion_order(self, folders: dict[str, list[str]]):
        """The submission folders (nbgrader's ``assignments``: folder -> notebook paths), each as soon
        as every notebook of it has been graded: a slow submission holds up no one graded after it.
        Folders with nothing running (nbgrader will skip them) come first."""
        waiting: dict[str, list[Future]] = {}
        for folder, notebooks in sorted(folders.items()):
            sid = Path(folder).parent.name
            futures = [self.results[(sid, Path(nb).stem)] for nb in notebooks if (sid, Path(nb).stem) in self.results]
            if futures:
                waiting[folder] = futures
            else:
                yield folder
        while waiting:
            wait([f for futures in waiting.values() for f in futures], return_when=FIRST_COMPLETED)
            for folder in [f for f, futures in waiting.items() if all(x.done() for x in futures)]:
                del waiting[folder]
                yield folder


def _key(resources) -> tuple[str, str]:
    info = resources["nbgrader"]
    return info["student"], info["notebook"]


class FillOutputs(NbGraderPreprocessor):
    """Autograde stage, in place of Execute: outputs computed by the sandboxes."""

    def __init__(self, prepared: Prepared, **kwargs):
        super().__init__(**kwargs)
        self.prepared = prepared

    def preprocess(self, nb, resources):
        graded = self.prepared.result(_key(resources))
        count = 0
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            count += 1
            cell.execution_count = count
            output = graded.outputs.get(index)
            meta = cell.metadata.get("nbgrader", {})
            is_test = bool(meta.get("grade")) and not meta.get("solution")
            cell.outputs = notebook_outputs(output, count, is_test) if output else []
        self.prepared.on_stored(graded)
        return nb, resources


def notebook_outputs(out: Output, execution_count: int, is_test: bool) -> list:
    """nbformat outputs for one cell.

    In a test cell, text on stderr (a warning printed by correct code) is shown as
    ordinary output: nbgrader would score any stderr as a failure.
    """
    outputs = []
    if out.stdout:
        outputs.append(new_output("stream", name="stdout", text=out.stdout))
    if out.stderr:
        if is_test:
            outputs.append(new_output("stream", name="stdout", text="[written to stderr]\n" + out.stderr))
        else:
            outputs.append(new_output("stream", name="stderr", text=out.stderr))
    if out.result is not None:
        outputs.append(new_output("execute_result", data={"text/plain": out.result}, execution_count=execution_count))
    failure = out.verdict.message if out.verdict is not None and not out.verdict.passed else None
    if out.error is not None and not (is_test and failure is None):
        outputs.append(new_output("error", ename=out.error["ename"], evalue=out.error["evalue"],
                                  traceback=out.error["traceback"] or [f"{out.error['ename']}: {out.error['evalue']}"]))
    elif is_test and failure is not None:
        outputs.append(new_output("error", ename="AssertionError", evalue=failure,
                                  traceback=failure_traceback(failure)))
    return outputs


class _SafeFileCopy(BaseConverter):
    """Copies a submission's other files into ``autograded/`` without following its links.

    nbgrader's own ``init_assignment`` uses ``shutil.copy``: a student's symlink to the
    gradebook would be copied as the gradebook, a FIFO would block the run. Sits
    between ``Autograde`` and ``BaseConverter`` so Autograde's ``super()`` call lands here.
    """

    def init_assignment(self, assignment_id: str, student_id: str) -> None:
        source = Path(self._format_source(assignment_id, student_id))
        dest = Path(self._format_dest(assignment_id, student_id))
        dest.mkdir(parents=True, exist_ok=True)
        ignore = tuple(self.coursedir.ignore) + ("*.ipynb",)
        for problem in copy_files(source, dest, ignore=ignore):  # the runner reported them already
            self.log.info("%s: %s", student_id, problem)


class HardenedAutograde(Autograde, _SafeFileCopy):
    """nbgrader's Autograde converter, sanitizing our repaired notebook and filling precomputed outputs."""

    assignments: dict[str, list[str]]
    """nbgrader's own (BaseConverter): submission folder -> its notebook paths."""

    def __init__(self, prepared: Prepared, refused: frozenset[str] = frozenset(), **kwargs):
        super().__init__(**kwargs)
        self.prepared = prepared
        self.failed_students: list[str] = []
        self.current_student: str | None = None
        """The student whose folder nbgrader is storing (for the runner's error lines)."""
        self.refused = refused
        """Student ids not to touch (their folders could not be graded; already reported)."""

    def init_notebooks(self) -> None:
        super().init_notebooks()
        for folder in [f for f in self.assignments if Path(f).parent.name in self.refused]:
            del self.assignments[folder]  # (nbgrader's own exclusion list splits ids at commas)

    def _init_preprocessors(self) -> None:
        validate_once(self.exporter)
        self.exporter._preprocessors = []
        if self._sanitizing:
            chain = list(self.sanitize_preprocessors)
        else:
            chain = [FillOutputs(self.prepared, parent=self.exporter) if pp is Execute else REPLACED_PREPROCESSORS.get(pp, pp)
                     for pp in self.autograde_preprocessors]
        for pp in chain:
            self.exporter.register_preprocessor(pp)  # enabled flags as in stock nbgrader

    def start(self) -> None:
        with faster_storing():
            super().start()

    def convert_notebooks(self) -> None:
        """nbgrader's own loop, one submission folder at a time in the order they finish grading
        (``Prepared.in_completion_order``); a folder nbgrader fails is that folder's alone."""
        everything = self.assignments
        try:
            for folder in self.prepared.in_completion_order(everything):
                self.assignments = {folder: everything[folder]}
                self.current_student = Path(folder).parent.name
                try:
                    super().convert_notebooks()
                except NbGraderException:  # logged by nbgrader (the runner reports it); the others go on
                    self.failed_students.append(self.current_student)
        finally:
            self.assignments = everything
            self.current_student = None

    def convert_single_notebook(self, notebook_filename: str) -> None:
        # Autograde.convert_single_notebook, except that the sanitize stage reads our
        # repaired notebook instead of the submitted file (which may not even parse).
        self._sanitizing = True
        self._init_preprocessors()
        resources = self.init_single_notebook_resources(notebook_filename)
        resources["metadata"] = {"name": Path(notebook_filename).stem, "path": str(Path(notebook_filename).parent)}
        nb = self.prepared.notebook(_key(resources))
        output, resources = self.exporter.from_notebook_node(nb, resources=resources)
        self.write_single_notebook(output, resources)

        built = os.path.join(self.writer.build_directory, os.path.basename(notebook_filename))
        self._sanitizing = False
        self._init_preprocessors()
        try:
            with utils.setenv(NBGRADER_EXECUTION="autograde"):
                BaseConverter.convert_single_notebook(self, built)
        finally:
            self._sanitizing = True
