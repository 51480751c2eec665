"""``embedding-lab grade ASSIGNMENT [--student ID] [--force]``: a thin argparse layer."""
from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

from autograder.course import add_course_dir, course_dir_of
from autograder.course_settings import course_settings

from .isolation import MODES, NAMESPACES
from .limits import CELL_TIMEOUT, MEMORY_MB, SUBMISSION_TIMEOUTS, Limits


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
                   help=f"seconds one cell may run (default: the course's ExecutePreprocessor.timeout, "
                        f"else {CELL_TIMEOUT:g})")
    p.add_argument("--memory-mb", type=int, default=MEMORY_MB,
                   help="memory one submission may allocate, in MiB, in each process and in all of them together "
                        f"(default: {MEMORY_MB}; 0: no limit)")
    p.add_argument("--submission-timeout", type=float, default=None,
                   help="seconds one submission may take in all, restarts included "
                        f"(default: {SUBMISSION_TIMEOUTS} x --timeout)")
    p.add_argument("--isolation", choices=MODES, default=NAMESPACES,
                   help="namespaces (default): each submission in its own Linux sandbox (bubblewrap); "
                        "none: no OS boundary, for trusted submissions on machines without namespaces")
    cluster = p.add_argument_group("on a Dask cluster (see autograder/grading/README.md; without these, "
                                   "everything runs on this machine)")
    where = cluster.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS", help="run the submissions on this Dask scheduler's workers, "
                                                              "e.g. tls://grading-head:8786")
    where.add_argument("--scheduler-file", metavar="FILE", help="the same, the scheduler's address read from the file "
                                                                "`dask scheduler --scheduler-file` wrote")
    cluster.add_argument("--tls-ca-file", metavar="PEM", help="the certificate authority the scheduler's and workers' "
                                                              "certificates are signed by")
    cluster.add_argument("--tls-cert", metavar="PEM", help="this client's certificate")
    cluster.add_argument("--tls-key", metavar="PEM", help="this client's private key")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args) -> int:
    if args.jobs is not None and args.jobs < 1:
        print("embedding-lab grade: error: --jobs must be at least 1", file=sys.stderr)
        return 2
    from .isolation import IsolationUnavailable
    from .warm_server import start_warm_server

    cluster = _cluster_options(args)
    try:
        if cluster is None:  # on a cluster, the workers run the sandboxes (and refuse without namespaces)
            start_warm_server(args.isolation)  # first: it imports torch on another core while we import ours
    except IsolationUnavailable as exc:
        print(f"embedding-lab grade: refusing to grade untrusted code: {exc}", file=sys.stderr)
        return 2
    from sqlalchemy.exc import SAWarning

    from autograder.course import require_course
    from autograder.reporting import run_report
    from autograder.reporting.gradebook_reader import stored_scores

    from .gradebook_writer import GradingSetupError
    from .runner import grade_assignment

    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own session handling, harmless
    root = require_course(course_dir_of(args))
    settings = course_settings(root)
    missing = settings.missing_plugins()
    if missing:  # nbgrader would fail on every submission, one line each, without saying what to do
        print(f"embedding-lab grade: error: the course's nbgrader_config.py names {', '.join(missing)}, which this "
              f"install does not have (renamed since the course was made); run `embedding-lab init --course-dir "
              f"{root}` to update it (a config you edited is kept: change the names there); nothing was graded",
              file=sys.stderr)
        return 1
    if args.timeout is None:
        args.timeout = settings.cell_timeout or CELL_TIMEOUT
    if args.timeout <= 0 or args.memory_mb < 0 or (args.submission_timeout is not None and args.submission_timeout <= 0):
        print("embedding-lab grade: error: --timeout and --submission-timeout must be > 0 and --memory-mb >= 0",
              file=sys.stderr)
        return 2
    limits = Limits(timeout=args.timeout, memory_mb=args.memory_mb, isolation=args.isolation,
                    total_seconds=args.submission_timeout)
    progress = run_report.Progress(enabled=not args.no_progress)
    try:
        result = grade_assignment(root, args.assignment, student=args.student, force=args.force, jobs=args.jobs,
                                  limits=limits, progress=progress, cluster=cluster)
    except GradingSetupError as exc:
        print(f"embedding-lab grade: error: {exc}", file=sys.stderr)
        return 1
    finally:
        progress.close()
    path = run_report.write_json(run_report.report_path(result.db_url, root, args.assignment), args.assignment,
                             result.graded, result.skipped, result.failed, result.isolation, result.budget)
    print(run_report.render(result.graded, result.skipped, result.failed, result.isolation, result.budget))
    if result.graded:
        print(run_report.score_lines(stored_scores(result.db_url, args.assignment, sorted({g.student for g in result.graded}))))
    print(f"report: {path}")
    return 1 if result.failed else 0


def _cluster_options(args):
    tls = (args.tls_ca_file, args.tls_cert, args.tls_key)
    if not (args.scheduler or args.scheduler_file):
        if any(tls):
            raise SystemExit("embedding-lab grade: error: --tls-* are for a cluster: give --scheduler or --scheduler-file")
        return None
    from .cluster import ClusterOptions

    return ClusterOptions(address=args.scheduler, scheduler_file=args.scheduler_file, tls_ca_file=tls[0],
                          tls_cert=tls[1], tls_key=tls[2])
