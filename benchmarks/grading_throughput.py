"""Throughput of `embedding-lab grade` against stock `nbgrader autograde`, same submissions, same run.

Builds an a1_lookup course in a temporary folder, writes N submissions (a fixed,
seeded mix of honest work: correct solutions written in different ways, partly
wrong ones, untouched notebooks), copies the course, grades one copy with stock
`nbgrader autograde` and the other with `embedding-lab grade`, then prints
submissions per second for both, the ratio, and whether every submission's
per-cell scores agree.

    .venv/bin/python benchmarks/grading_throughput.py            # 200 submissions
    .venv/bin/python benchmarks/grading_throughput.py --n 20     # a quick run

`embedding-lab grade` runs with its default OS boundary (each submission in its
own Linux namespaces); ``--without-sandbox-too`` also times ``--isolation none``.
Both commands run as subprocesses, start-up included. The machine's load average
is printed before and after: the figures are only comparable under similar load.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
BIN = Path(sys.executable).parent
FUNCTIONS = ("build_vocab", "encode", "one_hot", "lookup", "lookup_via_one_hot")
QUIZ_CHOICES = "abcd"


def variants(function: str) -> tuple[list[str], list[str]]:
    """(correct, wrong) variant names in tests/variants/a1_lookup/<function>.py."""
    text = (REPO / "tests" / "variants" / "a1_lookup" / f"{function}.py").read_text(encoding="utf-8")
    names = [line[4:].split("(")[0] for line in text.splitlines() if line.startswith("def ")]
    return [n for n in names if n.startswith("correct_")], [n for n in names if n.startswith("wrong_")]


def make_submissions(course: Path, n: int, seed: int) -> dict[str, str]:
    """Write n submissions; returns student -> a one-line description of what it holds."""
    import nbformat

    from autograder.submissions import fill_notebook, sources_from_file, write_submission

    release = nbformat.read(course / "release" / "a1_lookup" / "a1_lookup.ipynb", as_version=4)
    reference = sources_from_file(REPO / "autograder" / "reference" / "a1_lookup.py")
    quizzes = [k for k in reference if k.startswith("quiz_")]
    rng = random.Random(seed)
    described = {}
    for i in range(n):
        student = f"s{i:03d}"
        if rng.random() < 0.1:  # handed in untouched
            write_submission(course, student, "a1_lookup", release)
            described[student] = "untouched"
            continue
        sources, parts = {}, []
        for function in FUNCTIONS:
            correct, wrong = variants(function)
            roll = rng.random()
            if roll < 0.1:
                parts.append(f"{function}=stub")
                continue
            name = rng.choice(wrong if roll < 0.35 else correct)
            path = REPO / "tests" / "variants" / "a1_lookup" / f"{function}.py"
            sources[function] = sources_from_file(path, rename={name: function})[function]
            parts.append(f"{function}={name}")
        for quiz in quizzes:
            answer = reference[quiz] if rng.random() < 0.8 else f'{quiz} = "{rng.choice(QUIZ_CHOICES)}"'
            sources[quiz] = answer
        write_submission(course, student, "a1_lookup", fill_notebook(release, sources, strict=False))
        described[student] = " ".join(parts)
    return described


def scores(course: Path) -> dict[str, dict[str, float | None]]:
    from nbgrader.api import Gradebook, MissingEntry

    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in gb.students:
            try:
                nb = gb.find_submission_notebook("a1_lookup", "a1_lookup", student.id)
            except MissingEntry:
                continue
            out[student.id] = {g.name: g.auto_score for g in nb.grades}
    return out


def stderr_only(course: Path, student: str, grade_id: str) -> bool:
    """True when stock's autograded cell failed only because something was written to stderr."""
    import nbformat

    path = course / "autograded" / student / "a1_lookup" / "a1_lookup.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            kinds = {(o.output_type, o.get("name")) for o in cell.get("outputs", [])}
            return ("stream", "stderr") in kinds and not any(k[0] == "error" for k in kinds)
    return False


def timed(command: list[str], cwd: Path) -> float:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        print(f"warning: {' '.join(command[:3])} exited with {proc.returncode}:\n{proc.stderr[-2000:]}")
    return seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="number of submissions (default 200)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=None, help="embedding-lab grade --jobs (default: all cores)")
    parser.add_argument("--without-sandbox-too", action="store_true",
                        help="also time `embedding-lab grade --isolation none` (what the OS boundary costs)")
    parser.add_argument("--keep", type=Path, help="build the courses here and keep them (default: a temp folder)")
    args = parser.parse_args(argv)

    from sqlalchemy.exc import SAWarning

    from autograder.course import init_course
    from autograder.pipeline import nbgrader_api

    warnings.filterwarnings("ignore", category=SAWarning)
    base = args.keep or Path(tempfile.mkdtemp(prefix="grading-bench-"))
    try:
        stock, ours = base / "stock", base / "ours"
        for path in (stock, ours):
            shutil.rmtree(path, ignore_errors=True)
        init_course(stock, assignments=["a1_lookup"])
        result = nbgrader_api(stock).generate_assignment("a1_lookup", force=True, create=True)
        if not result["success"]:
            print(result.get("log"))
            return 1
        described = make_submissions(stock, args.n, args.seed)
        shutil.copytree(stock, ours)
        if args.without_sandbox_too:
            shutil.copytree(stock, base / "unsandboxed")

        print(f"{args.n} a1_lookup submissions, {os.cpu_count()} cores, load average before: {os.getloadavg()}")
        stock_s = timed([str(BIN / "nbgrader"), "autograde", "a1_lookup"], stock)
        jobs = ["--jobs", str(args.jobs)] if args.jobs else []
        ours_s = timed([str(BIN / "embedding-lab"), "grade", "a1_lookup", "--no-progress", *jobs], ours)
        bare_s = None
        if args.without_sandbox_too:
            bare_s = timed([str(BIN / "embedding-lab"), "grade", "a1_lookup", "--no-progress", "--isolation", "none",
                            *jobs], base / "unsandboxed")
        print(f"load average after: {os.getloadavg()}")

        got_stock, got_ours = scores(stock), scores(ours)
        agree, stderr_diffs, other_diffs = 0, [], []
        for student in sorted(described):
            a, b = got_stock.get(student), got_ours.get(student)
            if a == b:
                agree += 1
                continue
            if a is None or b is None:
                other_diffs.append(f"{student}: graded by stock={a is not None}, ours={b is not None}")
                continue
            cells = [g for g in a if a[g] != b.get(g)]
            if all(stderr_only(stock, student, g) and b[g] is not None and b[g] > (a[g] or 0) for g in cells):
                stderr_diffs.append(f"{student}: {', '.join(cells)} ({described[student]})")
            else:
                other_diffs.append(f"{student}: {', '.join(f'{g} stock={a[g]} ours={b.get(g)}' for g in cells)} "
                                   f"({described[student]})")

        n = args.n
        print(f"stock nbgrader autograde : {stock_s:8.1f} s  {n / stock_s:7.2f} submissions/s")
        print(f"embedding-lab grade      : {ours_s:8.1f} s  {n / ours_s:7.2f} submissions/s  (namespaces)")
        if bare_s is not None:
            print(f"  ... --isolation none   : {bare_s:8.1f} s  {n / bare_s:7.2f} submissions/s")
        print(f"throughput ratio         : {stock_s / ours_s:8.1f}x  (stock / embedding-lab grade, namespaces)")
        print(f"per-cell scores agree    : {agree}/{n} submissions")
        if stderr_diffs:
            print(f"differ only where stock gave 0 for text on stderr from passing code ({len(stderr_diffs)}):")
            for line in stderr_diffs:
                print(f"  {line}")
        if other_diffs:
            print(f"OTHER DIFFERENCES ({len(other_diffs)}):")
            for line in other_diffs:
                print(f"  {line}")
        return 0 if not other_diffs else 1
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
