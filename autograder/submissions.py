"""Build student submissions from a release notebook.

A submission is what a student hands in: the release notebook with some solution
cells filled in. Example submissions and test variants are written as ordinary
Python files of functions (and quiz answers); :func:`sources_from_file` turns such
a file into cell sources keyed by grade_id and :func:`fill_notebook` puts them in.
"""
from __future__ import annotations

import ast
import copy
import re
from datetime import datetime, timezone
from pathlib import Path

import nbformat


class SubmissionError(Exception):
    """A source file or notebook that cannot become a submission."""


def grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def solution_ids(nb) -> list[str]:
    """The grade_ids of the notebook's solution cells, in order."""
    return [grade_id(c) for c in nb.cells
            if c.get("metadata", {}).get("nbgrader", {}).get("solution") and grade_id(c)]


def fill_notebook(nb, sources: dict[str, str], *, strict: bool = True):
    """A copy of ``nb`` whose solution cells named in ``sources`` hold the given source.

    With ``strict``, a name that is not a solution cell of the notebook is an error
    (a typo in an example would otherwise silently leave the stub in place).
    """
    filled = copy.deepcopy(nb)
    wanted = dict(sources)
    for cell in filled.cells:
        gid = grade_id(cell)
        if gid in wanted and cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell.source = wanted.pop(gid)
    if strict and wanted:
        raise SubmissionError(f"no solution cell named {', '.join(sorted(wanted))} in the notebook")
    return filled


def sources_from_file(path: Path | str, rename: dict[str, str] | None = None) -> dict[str, str]:
    """Cell sources from a Python file: one per public top-level ``def`` or assignment.

    Each source starts with the file's imports; private helpers (``_name``) that a
    definition uses are appended to its cell. ``rename`` maps a definition's name
    in the file to the grade_id it should fill (the ``def`` line is renamed too).
    """
    text = Path(path).read_text(encoding="utf-8")
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        raise SubmissionError(f"{path}: not valid Python ({exc.msg}, line {exc.lineno})") from None
    rename = rename or {}
    imports, helpers, items = [], {}, {}
    for node in tree.body:
        segment = ast.get_source_segment(text, node, padded=False)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(segment)
        elif isinstance(node, ast.FunctionDef):
            (helpers if node.name.startswith("_") else items)[node.name] = (node, segment)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if not name.isupper():  # UPPER_CASE names are metadata about the file, not answers
                items[name] = (node, segment)
    sources = {}
    for name, (node, segment) in items.items():
        target = rename.get(name, name)
        if isinstance(node, ast.FunctionDef) and target != name:
            segment = re.sub(rf"^def\s+{re.escape(name)}\b", f"def {target}", segment, count=1)
        used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        parts = ["\n".join(imports)] if imports else []
        parts.append(segment)
        parts += [helpers[h][1] for h in helpers if h in used]
        sources[target] = "\n\n".join(parts)
    return sources


def write_submission(course_dir: Path, student: str, assignment: str, nb=None, *,
                     raw: bytes | None = None, notebook_name: str | None = None,
                     timestamp: datetime | None = None) -> Path:
    """Put a submission where ``nbgrader collect`` would: ``submitted/<student>/<assignment>/``.

    ``raw`` writes bytes as they are (for deliberately broken notebooks).
    """
    folder = Path(course_dir) / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{notebook_name or assignment}.ipynb"
    if raw is not None:
        path.write_bytes(raw)
    else:
        nbformat.write(nb, path)
    stamp = timestamp or datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)
    (folder / "timestamp.txt").write_text(stamp.strftime("%Y-%m-%d %H:%M:%S.%f %Z"))
    return path
