"""Render the instructor pipeline's results: the JSON export and the score table.

The results are read by ``gradebook_reader.collect_results``; nothing here reads
the gradebook.
"""
from __future__ import annotations

import json
from pathlib import Path

from autograder.results import SubmissionResult


def write_json(results: list[SubmissionResult], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([r.to_dict() for r in results], indent=1, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


def score_table(results: list[SubmissionResult]) -> str:
    """A plain-text table: one row per student, one column per assignment.

    A missing submission shows as ``-`` and counts as 0 of its points in the total,
    as does one that could not be graded (``error``).
    """
    students = sorted({r.student for r in results})
    assignments = sorted({r.assignment for r in results})
    by_key = {(r.student, r.assignment): r for r in results}
    header = ["student", *assignments, "total"]
    rows = [header]
    for student in students:
        row, got, out_of = [student], 0.0, 0.0
        for a in assignments:
            r = by_key.get((student, a))
            if r is None or r.status == "missing":
                row.append("-")
                out_of += r.max_score if r is not None else 0.0
                continue
            if r.status != "graded":
                row.append("error")
                out_of += r.max_score
                continue
            row.append(f"{_num(r.score)}/{_num(r.max_score)}")
            got += r.score
            out_of += r.max_score
        row.append(f"{_num(got)}/{_num(out_of)}")
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths)))
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _num(x: float) -> str:
    return f"{x:g}"
