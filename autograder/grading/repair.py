"""Repair a submitted notebook against the course's source cells (never fatal).

Stock nbgrader gives up on a whole submission when a solution cell was pasted
twice, a grade_id renamed, or cell metadata damaged. Here every such problem is
repaired or reported, and the result is a notebook nbgrader's own preprocessors
accept unchanged:

- duplicated grade_ids: the last copy that defines the graded name keeps the
  metadata, earlier copies become ordinary cells (they still run, as they did
  for the student); extra copies of locked cells are dropped;
- renamed grade_ids: matched back by the function (or answer variable) the cell
  defines; otherwise the cell becomes an ordinary cell;
- unlocked or edited test/locked cells: the source version is used (reported as
  suspected tampering); changed points or cell types are restored;
- deleted test/locked cells: restored from the source; a deleted solution cell is
  reported (its checks score 0 unless the name is defined elsewhere).
"""
from __future__ import annotations

import ast
import copy
import re
import uuid
from dataclasses import dataclass

import nbformat
from nbformat import NotebookNode

from .results import Event
from .transform import to_python


@dataclass(frozen=True)
class SourceCell:
    """One nbgrader cell of the course's source notebook, as the gradebook stores it."""

    name: str
    cell_type: str
    source: str
    locked: bool
    solution: bool
    grade: bool
    points: float | None
    """Max score for grade cells, else None."""

    @property
    def is_test(self) -> bool:
        return self.grade and not self.solution and self.cell_type == "code"


@dataclass(frozen=True)
class SourceNotebook:
    """The nbgrader cells of one source notebook, in notebook order."""

    name: str
    cells: tuple[SourceCell, ...]

    def get(self, name: str) -> SourceCell | None:
        return next((c for c in self.cells if c.name == name), None)


def nbgrader_meta(cell) -> dict | None:
    meta = cell.get("metadata", {}).get("nbgrader") if isinstance(cell.get("metadata"), dict) else None
    return meta if isinstance(meta, dict) and isinstance(meta.get("grade_id"), str) else None


def defined_names(source: str) -> set[str]:
    """Top-level names a cell defines (functions, classes, assigned variables)."""
    try:
        tree = ast.parse(to_python(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set(re.findall(r"^(?:def|class)\s+(\w+)", source, flags=re.M))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def _plain(cell) -> None:
    cell.metadata.pop("nbgrader", None)


def _restore_meta(cell, src: SourceCell) -> None:
    meta = cell.metadata.setdefault("nbgrader", {})
    meta.update({"grade_id": src.name, "grade": src.grade, "solution": src.solution,
                 "locked": src.locked, "schema_version": 3})
    if src.grade:
        meta["points"] = src.points
    else:
        meta.pop("points", None)
    meta.pop("task", None)


def _as_cell(src: SourceCell) -> NotebookNode:
    cell: dict = {"cell_type": src.cell_type, "metadata": {"editable": False, "deletable": False}, "source": src.source,
            "id": uuid.uuid4().hex[:8]}
    if src.cell_type == "code":
        cell.update(outputs=[], execution_count=None)
    node = NotebookNode(copy.deepcopy(cell))
    _restore_meta(node, src)
    return node


def _set_type(cell, cell_type: str) -> None:
    cell.cell_type = cell_type
    if cell_type == "code":
        cell.setdefault("outputs", [])
        cell.setdefault("execution_count", None)
    else:
        cell.pop("outputs", None)
        cell.pop("execution_count", None)


def repair(nb: NotebookNode, source: SourceNotebook) -> tuple[NotebookNode, list[Event]]:
    """A repaired copy of ``nb`` and what was done to it."""
    nb = copy.deepcopy(nb)
    events: list[Event] = []
    cells = [c for c in nb.cells if isinstance(c, dict) and c.get("cell_type") in ("code", "markdown", "raw")]
    if len(cells) != len(nb.cells):
        events.append(Event("repair", f"dropped {len(nb.cells) - len(cells)} malformed cell(s)"))
    for cell in cells:
        if not isinstance(cell.get("metadata"), dict):
            cell["metadata"] = NotebookNode()
        if not isinstance(cell.get("source"), str):
            cell["source"] = "".join(cell.get("source") or [])
        if "nbgrader" in cell["metadata"] and nbgrader_meta(cell) is None:
            _plain(cell)
            events.append(Event("repair", "removed damaged nbgrader metadata from a cell"))

    _rename_unknown(cells, source, events)
    cells = _deduplicate(cells, source, events)
    for cell in cells:
        meta = nbgrader_meta(cell)
        src = source.get(meta["grade_id"]) if meta is not None else None
        if src is not None:  # every grade_id left is the source's (_rename_unknown)
            _restore_known(cell, src, events)
    cells = _restore_missing(cells, source, events)

    seen = set()
    for cell in cells:  # nbformat requires unique cell ids; pasted copies may share one
        if cell.get("id") in seen or not isinstance(cell.get("id"), str):
            cell["id"] = uuid.uuid4().hex[:8]
        seen.add(cell["id"])
    nb.cells = cells
    return nb, events


def unreadable_notebook(source: SourceNotebook, why: str) -> NotebookNode:
    """What is stored for a submitted file that could not be read as a notebook (``why``).

    The source's test and other locked cells (what nbgrader needs to record a 0 per test
    cell) under a notice that says what happened; never a solution.
    """
    nb, _ = repair(nbformat.v4.new_notebook(), source)  # every restored cell: the caller's one event says it all
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(
        f"**This notebook could not be graded.** {why[:1].upper()}{why[1:]}, so nothing in it was graded: "
        "every test cell below scores 0. The cells below are the assignment's own, as it was released; none "
        "of your work could be read. Hand in the notebook as Jupyter saves it (*File → Save Notebook*), "
        "and ask your instructor to grade it again."))
    return nb


def _rename_unknown(cells: list, source: SourceNotebook, events: list[Event]) -> None:
    present = {m["grade_id"] for c in cells if (m := nbgrader_meta(c))}
    for cell in cells:
        meta = nbgrader_meta(cell)
        if meta is None or source.get(meta["grade_id"]) is not None:
            continue
        old = meta["grade_id"]
        missing = {c.name for c in source.cells if c.solution and c.name not in present}
        matches = sorted(defined_names(cell.source) & missing) if cell.get("cell_type") == "code" else []
        if len(matches) == 1:
            meta["grade_id"] = matches[0]
            present.add(matches[0])
            events.append(Event("repair", f"grade_id {old!r} was renamed; matched back by the name it defines",
                                matches[0]))
        else:
            _plain(cell)
            events.append(Event("repair", f"cell with unknown grade_id {old!r} graded as an ordinary cell"))


def _deduplicate(cells: list, source: SourceNotebook, events: list[Event]) -> list:
    by_id: dict[str, list] = {}
    for cell in cells:
        if (meta := nbgrader_meta(cell)) is not None:
            by_id.setdefault(meta["grade_id"], []).append(cell)
    drop = set()
    for gid, copies in by_id.items():
        if len(copies) < 2:
            continue
        src = source.get(gid)
        if src is not None and src.locked and not src.solution:
            for extra in copies[:-1]:
                drop.add(id(extra))
            events.append(Event("repair", f"{len(copies) - 1} extra copy(ies) of a locked cell removed", gid))
            continue
        defining = [c for c in copies if gid in defined_names(c.source)]
        keep = (defining or copies)[-1]
        for other in copies:
            if other is not keep:
                _plain(other)
        events.append(Event("repair", f"solution cell appears {len(copies)} times; graded the last one that "
                                      f"defines {gid!r}, the others run as ordinary cells", gid))
    return [c for c in cells if id(c) not in drop]


def _restore_known(cell, src: SourceCell, events: list[Event]) -> None:
    gid = src.name
    meta = cell.metadata.nbgrader
    if cell.cell_type != src.cell_type:
        events.append(Event("repair", f"cell type changed to {cell.cell_type}; restored to {src.cell_type}", gid))
        _set_type(cell, src.cell_type)
    if src.locked and bool(meta.get("locked")) != src.locked:
        events.append(Event("tampering", "a locked cell was unlocked", gid))
    if src.grade and meta.get("points") is not None and _float(meta.get("points")) != src.points:
        events.append(Event("tampering", f"points changed to {meta.get('points')!r}; restored to {src.points:g}", gid))
    if src.locked and cell.source != src.source:
        # Students never see hidden tests, so a differing test cell was edited (or is
        # the release version): either way the source version is what we grade.
        if _strip_hidden(src.source).rstrip() != cell.source.rstrip():
            kind = "tampering" if src.is_test else "repair"
            events.append(Event(kind, "locked cell was edited; the source version was used", gid))
        cell.source = src.source
    _restore_meta(cell, src)


def _strip_hidden(text: str) -> str:
    """The release version of a test cell, as nbgrader's ClearHiddenTests makes it."""
    kept, hidden = [], False
    for line in text.split("\n"):
        if "### BEGIN HIDDEN TESTS" in line:
            hidden = True
        elif "### END HIDDEN TESTS" in line:
            hidden = False
        elif not hidden:
            kept.append(line)
    return "\n".join(kept)


def _float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _restore_missing(cells: list, source: SourceNotebook, events: list[Event]) -> list:
    position = {m["grade_id"]: i for i, c in enumerate(cells) if (m := nbgrader_meta(c))}
    result = list(cells)
    for i, src in enumerate(source.cells):
        if src.name in position:
            continue
        if src.solution:
            events.append(Event("repair", f"solution cell {src.name!r} is missing; its checks fail unless "
                                          "the name is defined in another cell", src.name))
            continue
        # insert after the nearest earlier source cell that is present
        anchor = next((result.index(c) for c in reversed(result) if (m := nbgrader_meta(c))
                       and m["grade_id"] in {s.name for s in source.cells[:i]}), -1)
        cell = _as_cell(src)
        result.insert(anchor + 1, cell)
        events.append(Event("repair", "deleted cell restored from the source notebook", src.name))
        position[src.name] = anchor + 1
    return result
