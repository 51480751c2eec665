"""Create or update an nbgrader course directory from the repository's assignments.

The course directory is a plain nbgrader course: ``nbgrader_config.py`` and
``source/<assignment>/`` written here; ``release/``, ``submitted/``,
``autograded/``, ``feedback/`` and the gradebook are made by nbgrader commands.
Re-running :func:`init_course` never deletes or overwrites what an instructor
made: files it wrote earlier are updated only if nobody edited them since (it
remembers their hashes in ``.embedding-lab.json``); edited files are kept and
reported.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .course_settings import DEFAULT_COURSE_DIR, CourseSettings, CourseSettingsError, course_settings
from .grading.limits import COURSE_CELL_TIMEOUT

REPO_ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS_DIR = REPO_ROOT / "assignments"
MANIFEST = ".embedding-lab.json"
COURSE_ID = "embedding-lab"
GRADERS = ("embedding-lab", "nbgrader")
"""What can autograde a course: the hardened `embedding-lab grade` (the default) and stock nbgrader."""
# Files in an assignment folder that are never copied into the course.
_SKIP = {".ipynb_checkpoints", "__pycache__"}


def ensure_tools_on_path() -> None:
    """Put this interpreter's scripts folder on PATH.

    nbgrader runs the ``alembic`` command to create a gradebook; when we are run as
    ``.venv/bin/python`` without an activated venv, it would not be found.
    """
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")


class CourseError(Exception):
    """A problem with a course directory, worded for the command line."""


@dataclass
class InitResult:
    """What :func:`init_course` did, file by file (paths relative to the course)."""

    course_dir: Path
    created: list[str] = field(default_factory=list)
    """Files written for the first time."""
    updated: list[str] = field(default_factory=list)
    """Files rewritten because the repository's copy changed and nobody had edited them."""
    kept: list[str] = field(default_factory=list)
    """Files that differ from the repository's copy because someone edited them: left alone."""
    assignments: list[str] = field(default_factory=list)
    """The assignments now in ``source/``."""


def config_text(db_url: str | None = None, exchange_root: str | None = None) -> str:
    """The course's ``nbgrader_config.py``: a few lines, no logic (and no import: a formgrader
    running in another environment still reads the course's settings)."""
    from .feedback_html import template_basedirs

    lines = [
        "c = get_config()  # noqa: F821 (nbgrader provides get_config)",
        "",
        "# The exchange keys every release and submission by this id; students' configs name it too.",
        f'c.CourseDirectory.course_id = "{COURSE_ID}"',
        "# Each notebook imports torch; allow for a slow machine, but not forever.",
        f"c.ExecutePreprocessor.timeout = {COURSE_CELL_TIMEOUT}",
        "# Hidden tests go back into untouched test cells without a checksum warning per cell",
        "# (autograder/nbgrader_preprocessors.py); otherwise nbgrader's own sanitize steps, in its order.",
        "c.Autograde.sanitize_preprocessors = [",
        '    "nbgrader.preprocessors.ClearOutput", "nbgrader.preprocessors.DeduplicateIds",',
        '    "nbgrader.preprocessors.OverwriteKernelspec", "autograder.nbgrader_preprocessors.RestoreHiddenTests",',
        '    "nbgrader.preprocessors.OverwriteCells", "nbgrader.preprocessors.CheckCellMetadata",',
        "]",
        "# Feedback shows the worded failure, not the hidden tests' code (they stay reusable): nbgrader's",
        "# steps, its ClearHiddenTests without a warning (autograder/nbgrader_preprocessors.py says why).",
        "c.GenerateFeedback.preprocessors = [",
        '    "nbgrader.preprocessors.GetGrades", "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",',
        '    "autograder.nbgrader_preprocessors.FeedbackClearHiddenTests",',
        "]",
        "# Feedback and the formgrader: math as MathML, tables with borders, long lines wrapped, and",
        "# nothing fetched from a CDN (autograder/feedback_html.py; the template folders of this install).",
        f"c.HTMLExporter.extra_template_basedirs = {template_basedirs()!r}",
        'c.HTMLExporter.filters = {"markdown2html": "autograder.feedback_html.markdown2html"}',
        "# Feedback and the formgrader show a student's markdown without the HTML in it (an <img onerror>",
        "# would run in the instructor's browser); the course's own markdown has none.",
        "c.HTMLExporter.sanitize_html = True",
        "# Encrypt kernel traffic with keys made per kernel (and skip ipykernel's warning that it is not).",
        'c.KernelManager.transport_encryption = "auto"',
    ]
    if db_url:
        lines.append(f"c.CourseDirectory.db_url = {db_url!r}")
    if exchange_root:
        lines.append(f"c.Exchange.root = {exchange_root!r}")
    return "\n".join(lines) + "\n"


def default_course_dir(cwd: Path | None = None) -> Path:
    """The course a command run in ``cwd`` means when none is named.

    The current directory when it is a course (has ``nbgrader_config.py``); else
    ``./course`` when that is one (where ``make demo`` puts it); else the current directory.
    """
    cwd = Path.cwd() if cwd is None else Path(cwd)
    if (cwd / "nbgrader_config.py").is_file():
        return cwd
    if (cwd / DEFAULT_COURSE_DIR / "nbgrader_config.py").is_file():
        return cwd / DEFAULT_COURSE_DIR
    return cwd


def available_assignments(assignments_dir: Path = ASSIGNMENTS_DIR) -> list[str]:
    """Assignment folders that hold a notebook of the same name, sorted."""
    if not assignments_dir.is_dir():
        raise CourseError(f"no assignments folder at {assignments_dir}")
    return sorted(p.name for p in assignments_dir.iterdir()
                  if p.is_dir() and (p / f"{p.name}.ipynb").is_file())


def init_course(course_dir: Path | str, assignments_dir: Path = ASSIGNMENTS_DIR,
                db_url: str | None = None, assignments: list[str] | None = None,
                exchange_root: str | None = None) -> InitResult:
    """Create ``course_dir`` if needed and bring its ``source/`` up to date."""
    course_dir = Path(course_dir).resolve()
    if course_dir.exists() and not course_dir.is_dir():
        raise CourseError(f"{course_dir} exists and is not a directory")
    names = available_assignments(assignments_dir)
    if assignments:
        unknown = sorted(set(assignments) - set(names))
        if unknown:
            raise CourseError(f"unknown assignment {', '.join(unknown)}; known: {', '.join(names)}")
        names = [n for n in names if n in assignments]
    course_dir.mkdir(parents=True, exist_ok=True)
    manifest = _load_manifest(course_dir)
    result = InitResult(course_dir, assignments=names)

    # Without --db-url / --exchange, a course keeps the gradebook and exchange it was pointed at before.
    before = _configured(course_dir) if not (db_url and exchange_root) else None
    if before is not None:
        db_url = db_url or before.configured_db_url
        exchange_root = exchange_root or before.exchange_root
    _sync_file(course_dir, "nbgrader_config.py", config_text(db_url, exchange_root).encode(), manifest, result)
    for name in names:
        for src in sorted((assignments_dir / name).rglob("*")):
            if src.is_dir() or _SKIP & set(src.relative_to(assignments_dir).parts):
                continue
            rel = (Path("source") / src.relative_to(assignments_dir)).as_posix()
            _sync_file(course_dir, rel, src.read_bytes(), manifest, result)

    (course_dir / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return result


def _configured(course_dir: Path) -> CourseSettings | None:
    """The settings the course's config file sets now, or None when it cannot be loaded (then it is
    not the file ``init`` wrote: it will be kept, not rewritten, so its settings are not needed)."""
    try:
        return course_settings(course_dir)
    except CourseSettingsError:
        return None


def _sync_file(course_dir: Path, rel: str, content: bytes, manifest: dict, result: InitResult) -> None:
    dest = course_dir / rel
    new_hash = _hash(content)
    if not dest.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(content)
        manifest[rel] = new_hash
        result.created.append(rel)
        return
    current = _hash(dest.read_bytes())
    if current == new_hash:
        manifest[rel] = new_hash
        return
    if manifest.get(rel) == current:
        # Ours and untouched since, so nothing of the instructor's is lost. (No
        # backup file: nbgrader would release it, solutions and all.)
        dest.write_bytes(content)
        manifest[rel] = new_hash
        result.updated.append(rel)
    else:
        result.kept.append(rel)


def _hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _load_manifest(course_dir: Path) -> dict:
    path = course_dir / MANIFEST
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}  # a damaged manifest only means we treat every differing file as edited
    return data if isinstance(data, dict) else {}


def require_course(course_dir: Path | str) -> Path:
    """The resolved course directory, or a one-line :class:`CourseError`."""
    path = Path(course_dir).resolve()
    if not path.is_dir():
        raise CourseError(f"no course directory at {path} "
                          f"(create one with `embedding-lab init --course-dir {course_dir}`)")
    if not (path / "nbgrader_config.py").is_file():
        raise CourseError(f"{path} is not an nbgrader course directory (no nbgrader_config.py); "
                          "run the command inside the course directory or pass --course-dir DIR")
    return path


def add_course_dir(p: argparse.ArgumentParser, default: Path | None, help_default: str,
                   positional: bool = False) -> None:
    """``--course-dir DIR``: the one name every subcommand uses for the course directory.

    ``positional`` also accepts the directory as a bare argument (``init DIR``, as
    earlier versions had it); it is not shown in the help.
    """
    p.add_argument("--course-dir", type=Path, default=None,
                   help=f"the nbgrader course directory (default: {help_default})")
    if positional:
        p.add_argument("course_dir_arg", nargs="?", type=Path, default=None, help=argparse.SUPPRESS)
    p.set_defaults(course_dir_default=default)


def course_dir_of(args) -> Path:
    """The course directory a command was given (flag, then bare argument), else its default."""
    chosen = getattr(args, "course_dir", None) or getattr(args, "course_dir_arg", None)
    if chosen is not None:
        return chosen
    return args.course_dir_default if args.course_dir_default is not None else default_course_dir()
