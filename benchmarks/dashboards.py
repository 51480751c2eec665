"""Time-to-interactive, kernel memory and slider latency of each Voila dashboard.

    .venv/bin/python benchmarks/dashboards.py [--repeats 3] [--presses 30] [--students 40] [dashboard ...]

Runs ``embedding-lab dashboards`` twice, on a free port, against a synthetic
course (``--students`` students, four assignments, seeded scores and failure
messages), and drives Debian's chromium through Playwright:

- **TTI cold**: no preheated kernel (``--pool-size 0``): navigation start until
  every kernel-rendered part of the dashboard is on the page (the kernel starts
  and runs the notebook while the page loads);
- **TTI preheated**: Voila's default set-up (``--pool-size 1``), measured once the
  pool kernel has finished running the notebook; goal at most 2 s;
- **kernel RSS**: ``VmRSS`` of the page's kernel process after the slider test;
  goal at most 100 MB (a kernel that imports torch takes about 250 MB);
- **slider**: time from a key press on the dashboard's slider to the first change
  of the kernel-rendered part it drives (``performance.now`` in the page and a
  MutationObserver), median and 95th percentile over ``--presses``; goal: median
  at most 50 ms.

Times are measured inside the page, so they exclude Playwright's own round
trips. They depend on the machine and its load: the load average is printed.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # support.browser: the browser harness of the tests
sys.path.insert(0, str(REPO / "tests" / "dashboards"))  # the gradebook builder of the tests

from support import browser as harness  # noqa: E402

GOALS = {"tti": 2000.0, "rss": 100.0, "slider": 50.0}
ASSIGNMENT_CELLS = {
    "a1_lookup": [("build_vocab_basic", 2.0), ("encode_basic", 2.0), ("one_hot_basic", 2.0),
                  ("one_hot_errors", 1.0), ("lookup_rows", 2.0), ("lookup_via_one_hot_equal", 1.0)],
    "a2_linear": [("embedding_to_linear_basic", 3.0), ("embedding_to_linear_copy", 1.0),
                  ("linear_to_embedding_bias", 1.0), ("embedding_weight_grad_repeats", 3.0)],
    "a3_similarity": [("cosine_similarity_zero", 2.0), ("cosine_matrix_basic", 2.0),
                      ("most_similar_ties", 2.0), ("sentence_vector_mean", 2.0)],
    "a4_training": [("skipgram_pairs_basic", 2.0), ("negative_sampling_loss_finite", 3.0),
                    ("masked_mean_pool_padding", 3.0)],
}
MESSAGES = ["AssertionError: one_hot returned int64; the instructions ask for float32",
            "AssertionError: one_hot([3], 3) should raise ValueError",
            "AssertionError: the result shares memory with the embedding",
            "AssertionError: a zero vector gave nan",
            "AssertionError: negative_sampling_loss overflowed for dot products of 1000"]


def synthetic_course(root: Path, students: int, seed: int = 0) -> tuple[Path, str]:
    """A graded class: each student passes each test cell with their own probability."""
    from gradebook_factory import build_gradebook, write_autograded

    rng = random.Random(seed)
    scores, failures = {}, {}
    for i in range(students):
        student, skill = f"student{i:03d}", rng.uniform(0.3, 1.0)
        scores[student] = {}
        for assignment, cells in ASSIGNMENT_CELLS.items():
            if rng.random() < 0.08:
                continue                                   # not submitted
            scores[student][assignment] = {}
            for grade_id, points in cells:
                passed = rng.random() < skill
                scores[student][assignment][grade_id] = points if passed else 0
                if not passed:
                    failures[(student, assignment, grade_id)] = rng.choice(MESSAGES)
    course_dir = root / "course"
    course_dir.mkdir()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")                    # nbgrader's own SQLAlchemy warnings
        db_url = build_gradebook(course_dir / "gradebook.db", ASSIGNMENT_CELLS, scores)
    write_autograded(course_dir, ASSIGNMENT_CELLS, scores, failures)
    return course_dir, db_url


def measure(workdir: Path, course_dir: Path, db_url: str, slugs: list[str], *, preheated: bool,
            repeats: int, presses: int) -> dict[str, dict[str, list[float]]]:
    from playwright.sync_api import sync_playwright

    results = {slug: {"tti": [], "rss": [], "slider": []} for slug in slugs}
    server = harness.DashboardServer(workdir, course_dir=course_dir, db_url=db_url,
                                     pool_size=1 if preheated else 0)
    try:
        server.wait_until_up()
        with sync_playwright() as playwright:
            browser = harness.launch_chromium(playwright)
            for slug in slugs:
                filename = f"{slug}.ipynb"
                for repeat in range(repeats):
                    if preheated:
                        # The pool refills after each visit; wait until that kernel has run the notebook.
                        server.wait_for_pools([filename], {filename: repeat + 1})
                    server.wait_for_idle_kernels()
                    context = browser.new_context(viewport={"width": 1280, "height": 1600})
                    page = context.new_page()
                    results[slug]["tti"].append(harness.open_dashboard(page, server.url, slug))
                    pid = server.kernel_pid(harness.kernel_id(page))
                    results[slug]["slider"] += harness.slider_latencies(page, slug, presses)
                    results[slug]["rss"].append(harness.rss_mb(pid))
                    page.goto("about:blank")               # shuts the kernel down (beforeunload)
                    context.close()
            browser.close()
    finally:
        server.stop()
    return results


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def report(cold: dict, warm: dict, slugs: list[str]) -> str:
    head = (f"{'dashboard':<13} {'TTI cold ms':>17} {'TTI preheated ms':>17} {'kernel RSS MB':>14} "
            f"{'slider ms median':>17} {'p95':>6}")
    lines = [head, "-" * len(head)]
    for slug in slugs:
        c, w = cold[slug], warm[slug]
        sliders = c["slider"] + w["slider"]
        rss = max(c["rss"] + w["rss"])
        lines.append(
            f"{slug:<13} {statistics.median(c['tti']):>8.0f} (max {max(c['tti']):>4.0f}) "
            f"{statistics.median(w['tti']):>8.0f} (max {max(w['tti']):>4.0f}) {rss:>14.1f} "
            f"{statistics.median(sliders):>17.1f} {_p95(sliders):>6.1f}")
    lines.append(f"goals: TTI preheated <= {GOALS['tti']:.0f} ms, kernel RSS <= {GOALS['rss']:.0f} MB, "
                 f"slider median <= {GOALS['slider']:.0f} ms")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dashboards", nargs="*", help="slugs (default: all)")
    parser.add_argument("--repeats", type=int, default=3, help="visits per dashboard and mode")
    parser.add_argument("--presses", type=int, default=30, help="key presses per visit")
    parser.add_argument("--students", type=int, default=40, help="students in the synthetic course")
    args = parser.parse_args(argv)
    slugs = args.dashboards or list(harness.PROBES)
    unknown = set(slugs) - set(harness.PROBES)
    if unknown:
        parser.error(f"unknown dashboard {', '.join(sorted(unknown))}; known: {', '.join(harness.PROBES)}")
    if not Path(harness.CHROMIUM).exists():
        parser.error("Debian's chromium is missing: run tools/install-system-packages.sh browser")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} CPUs)")
    with tempfile.TemporaryDirectory(prefix="bench-dashboards-") as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        course_dir, db_url = synthetic_course(root, args.students)
        print(f"synthetic course: {args.students} students x {len(ASSIGNMENT_CELLS)} assignments "
              f"({time.perf_counter() - start:.1f} s to build)")
        cold = measure(root, course_dir, db_url, slugs, preheated=False,
                       repeats=args.repeats, presses=args.presses)
        warm = measure(root, course_dir, db_url, slugs, preheated=True,
                       repeats=args.repeats, presses=args.presses)
    print(report(cold, warm, slugs))
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
