"""The demo's example students, one kind of submission each.

Each student's work for an assignment is either built from the release notebook
(untouched, or with solution cells filled from a Python file in this folder) or
written as raw bytes (a damaged notebook). What each is expected to score is
stated next to it, and the end-to-end tests hold the pipeline to it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..submissions import fill_notebook, solution_ids, sources_from_file, write_submission

HERE = Path(__file__).resolve().parent
REFERENCE_DIR = HERE.parent / "reference"


@dataclass(frozen=True)
class DemoStudent:
    """One example student of the demo course."""

    id: str
    description: str
    kind: str
    """``reference`` (every solution cell from the reference solutions), ``files``
    (from ``<id>/<assignment>.py`` here; assignments without a file are not handed in),
    ``release`` (the untouched student version) or ``broken`` (the first assignment's
    notebook cut short, as a bad merge or an interrupted upload leaves it; the rest correct)."""

    def submit(self, course_dir: Path, assignment: str, release_path: Path) -> Path | None:
        release_nb = nbformat.read(release_path, as_version=4)
        if self.kind == "release":
            return write_submission(course_dir, self.id, assignment, release_nb)
        if self.kind == "files":
            source_file = HERE / self.id / f"{assignment}.py"
            if not source_file.is_file():
                return None
            nb = fill_notebook(release_nb, sources_from_file(source_file))
            return write_submission(course_dir, self.id, assignment, nb)
        if self.kind == "broken" and assignment == "a1_lookup":
            text = nbformat.writes(reference_submission(release_nb, assignment))
            return write_submission(course_dir, self.id, assignment, raw=text[: len(text) // 2].encode())
        if self.kind in ("reference", "broken"):
            return write_submission(course_dir, self.id, assignment, reference_submission(release_nb, assignment))
        raise ValueError(f"unknown kind of demo student: {self.kind}")


def reference_submission(release_nb, assignment: str):
    """The release notebook with every solution cell filled from the reference solutions."""
    sources = sources_from_file(REFERENCE_DIR / f"{assignment}.py")
    missing = set(solution_ids(release_nb)) - set(sources)
    if missing:
        raise ValueError(f"the reference for {assignment} has no {', '.join(sorted(missing))}")
    return fill_notebook(release_nb, sources, strict=False)


DEMO_STUDENTS = [
    DemoStudent("alice", "all correct (the reference solutions)", "reference"),
    DemoStudent("bob", "partly wrong: common mistakes", "files"),
    DemoStudent("carol", "untouched student version", "release"),
    DemoStudent("dave", "a1 notebook damaged (cut short); the rest correct", "broken"),
]
