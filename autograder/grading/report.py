"""Progress bar with ETA, and the per-submission report of anything unusual.

Rendering only: the data comes from ``Graded`` results. Every text a submission
could shape (its id, a file name, an exception message) is shown through
``results.one_line``: one printable line, so a submission cannot add lines of its own.
"""
from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from tqdm import tqdm

from .results import Graded, one_line

UNUSUAL = ("timeout", "crash", "memory", "output", "tampering", "sandbox", "repair", "in-kernel", "error")


class Progress:
    """A tqdm bar (rate and ETA) counting submissions stored in the gradebook."""

    def __init__(self, enabled: bool = True, desc: str = "grading"):
        self.enabled = enabled
        self.desc = desc
        self.bar: tqdm | None = None
        self.unusual = 0

    def start(self, total: int) -> None:
        self.bar = tqdm(total=total, desc=self.desc, unit="submission", disable=not self.enabled or total == 0,
                        dynamic_ncols=True)

    def __call__(self, graded: Graded) -> None:
        if self.bar is None:  # not started: nothing to count on
            return
        if graded.events:
            self.unusual += 1
            self.bar.set_postfix(unusual=self.unusual)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def score_summary(graded: Graded) -> tuple[int, int]:
    """(passed, judged) test cells."""
    return sum(v.passed for v in graded.verdicts.values()), len(graded.verdicts)


ISOLATION_WORDS = {"namespaces": "each submission in its own Linux namespaces (bubblewrap)",
                   "none": "NO operating-system boundary (--isolation none): trusted submissions only"}


def render(graded_list: list[Graded], skipped: list[str], failed: list[tuple[str, str]], isolation: str = "",
           budget: str = "") -> str:
    """The human report: the boundary and budget used, totals, then one block per submission with unusual events."""
    lines = [f"isolation: {ISOLATION_WORDS.get(isolation, isolation)}"] if isolation else []
    if budget:
        lines.append(f"budget: {budget}")
    kinds = Counter(e.kind for g in graded_list for e in g.events)
    lines.append(f"graded {len(graded_list)} submission(s)"
                 + (f", skipped {len(skipped)} already autograded (use --force)" if skipped else "")
                 + (f"; {', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}" if kinds else "; nothing unusual"))
    for graded in graded_list:
        if not graded.events:
            continue
        passed, judged = score_summary(graded)
        lines.append(f"  {one_line(graded.student)}/{one_line(graded.notebook)}: {passed}/{judged} test cells passed"
                     + (f", kernel restarted {graded.restarts}x" if graded.restarts else ""))
        for event in graded.events:
            where = f" [{one_line(event.grade_id)}]" if event.grade_id else ""
            lines.append(f"    {one_line(event.kind)}{where}: {one_line(event.detail)}")
    for student, problem in failed:
        lines.append(f"  error ({one_line(student)}): {one_line(problem)}")
    return "\n".join(lines)


def score_lines(rows: list[tuple[str, float, float]]) -> str:
    """The stored scores, one student a line, aligned."""
    if not rows:
        return "scores stored: none"
    width = max(len(student) for student, _, _ in rows)
    return "\n".join(["scores stored in the gradebook:"]
                     + [f"  {one_line(student).ljust(width)}  {score:g}/{max_score:g}" for student, score, max_score in rows])


def report_path(db_url: str, course_root: Path, assignment: str) -> Path:
    """Where the JSON report goes: next to the gradebook (sqlite), else in the course root."""
    folder = course_root
    if db_url.startswith("sqlite:///"):
        folder = Path(db_url.removeprefix("sqlite:///")).parent
    return folder / f"grading-report-{assignment}.json"


def write_json(path: Path, assignment: str, graded_list: list[Graded], skipped: list[str],
               failed: list[tuple[str, str]], isolation: str = "", budget: str = "") -> Path:
    """Write the report; entries of submissions not graded in this run are kept from the last one."""
    fresh = {(g.student, g.notebook): g.to_dict() for g in graded_list}
    try:
        previous = json.loads(path.read_text(encoding="utf-8")).get("submissions", [])
    except (OSError, ValueError, AttributeError):
        previous = []
    kept = [s for s in previous if isinstance(s, dict) and (s.get("student"), s.get("notebook")) not in fresh]
    data = {
        "assignment": assignment,
        "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "isolation": isolation,
        "budget": budget,
        "submissions": sorted(kept + list(fresh.values()), key=lambda s: (str(s.get("student")), str(s.get("notebook")))),
        "skipped": skipped,
        "failed": [{"student": one_line(s), "problem": one_line(p)} for s, p in failed],
    }
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
