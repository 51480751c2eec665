"""``embedding-lab grade ASSIGNMENT [--student ID] [--force]``: a thin argparse layer."""
from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

from autograder.course import add_course_dir, course_dir_of


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "grade", help="autograde submissions like `nbgrader autograde`, hardened and in parallel",
        description="Run inside an nbgrader course directory (or pass --course-dir). Scores go to nbgrader's "
                    "gradebook, so the formgrader, feedback and export work as after `nbgrader autograde`.")
    p.add_argument("assignment", help="the assignment id, e.g. a1_lookup")
    p.add_argument("--student", default="*", help="only this student id (default: every submission)")
    p.add_argument("--force", action="store_true", help="grade again submissions that were already autograded")
    add_course_dir(p, None, "the current directory if it is a course, else ./course")
    p.add_argument("--course", dest="course_dir", type=Path, help=argparse.SUPPRESS)  # the old name
    p.add_argument("--jobs", type=int, default=None, help=f"submissions graded at once (default: {os.cpu_count()})")
    p.add_argument("--timeout", type=float, default=None,
                   help="seconds one cell may run (default: the course's ExecutePreprocessor.timeout, else 30)")
    p.add_argument("--memory-mb", type=int, default=2048,
                   help="memory one submission may allocate, in MiB, in each process and in all of them together "
                        "(default: 2048; 0: no limit)")
    p.add_argument("--submission-timeout", type=float, default=None,
                   help="seconds one submission may take in all, restarts included (default: 10 x --timeout)")
    p.add_argument("--isolation", choices=("namespaces", "none"), default="namespaces",
                   help="namespaces (default): each submission in its own Linux sandbox (bubblewrap); "
                        "none: no OS boundary, for trusted submissions on machines without namespaces")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args) -> int:
    if args.jobs is not None and args.jobs < 1:
        print("embedding-lab grade: error: --jobs must be at least 1", file=sys.stderr)
        return 2
    from .isolation import IsolationUnavailable
    from .server import start_warm_server

    try:
        start_warm_server(args.isolation)  # first: it imports torch on another core while we import ours
    except IsolationUnavailable as exc:
        print(f"embedding-lab grade: refusing to grade untrusted code: {exc}", file=sys.stderr)
        return 2
    from sqlalchemy.exc import SAWarning

    from autograder.course import require_course
    from autograder.gradebook_reader import stored_scores

    from . import report
    from .gradebook import GradingSetupError
    from .runner import course_timeout, grade_assignment
    from .worker import Limits

    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own session handling, harmless
    root = require_course(course_dir_of(args))
    if args.timeout is None:
        args.timeout = course_timeout(root)
    if args.timeout <= 0 or args.memory_mb < 0 or (args.submission_timeout is not None and args.submission_timeout <= 0):
        print("embedding-lab grade: error: --timeout and --submission-timeout must be > 0 and --memory-mb >= 0",
              file=sys.stderr)
        return 2
    limits = Limits(timeout=args.timeout, memory_mb=args.memory_mb, isolation=args.isolation,
                    total_seconds=args.submission_timeout)
    progress = report.Progress(enabled=not args.no_progress)
    try:
        result = grade_assignment(root, args.assignment, student=args.student, force=args.force, jobs=args.jobs,
                                  limits=limits, progress=progress)
    except GradingSetupError as exc:
        print(f"embedding-lab grade: error: {exc}", file=sys.stderr)
        return 1
    finally:
        progress.close()
    path = report.write_json(report.report_path(result.db_url, root, args.assignment), args.assignment,
                             result.graded, result.skipped, result.failed, result.isolation, result.budget)
    print(report.render(result.graded, result.skipped, result.failed, result.isolation, result.budget))
    if result.graded:
        print(report.score_lines(stored_scores(result.db_url, args.assignment, sorted({g.student for g in result.graded}))))
    print(f"report: {path}")
    return 1 if result.failed else 0
