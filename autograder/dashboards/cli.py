"""``embedding-lab dashboards [--port N] [--no-browser] ...``: a thin argparse layer."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.course import add_course_dir, course_dir_of
from autograder.course_settings import course_settings

from . import DEFAULT_PORT
from ._catalog import served_dashboards


def add_parser(subparsers) -> None:
    """Register ``dashboards`` on the ``embedding-lab`` command."""
    p = subparsers.add_parser(
        "dashboards", help="serve the Voila dashboards (landing page, preheated kernels)",
        description="Serve the course's Voila dashboards with a landing page linking to each.")
    p.add_argument("--port", type=_port, default=None,
                   help=f"port to listen on (default: {DEFAULT_PORT}, or the next free one)")
    p.add_argument("--ip", default="localhost",
                   help="interface to listen on (0.0.0.0 to share on a network; see the README)")
    p.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    p.add_argument("--pool-size", type=_count, default=1,
                   help="preheated kernels kept ready per dashboard (0: start one per visit)")
    add_course_dir(p, None, "the current directory if it is a course, else ./course")
    p.add_argument("--db-url", help="gradebook URL (default: the course's, as nbgrader_config.py sets it, "
                                    "else sqlite:///<course-dir>/gradebook.db)")
    p.add_argument("--base-url", type=_base_url, default="/",
                   help="URL prefix behind a proxy, e.g. /services/dashboards/ (JupyterHub)")
    p.add_argument("--students-only", action="store_true",
                   help="leave out the class report (for a server students can reach)")
    p.add_argument("--show-tracebacks", action="store_true",
                   help="show Python tracebacks on the page (debugging)")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from ._voila_server import serve  # imports voila: only when serving

    dashboards = served_dashboards(students_only=args.students_only)
    if not args.students_only and args.ip not in _LOOPBACK:
        print(f"embedding-lab: warning: serving the class report on {args.ip}: anyone who can reach "
              "this port sees the grades (use --students-only for a server students can reach)",
              file=sys.stderr)
    course_dir = course_dir_of(args).resolve()
    db_url = args.db_url or course_settings(course_dir).db_url
    if not args.students_only:
        missing = _missing_gradebook(db_url)
        if missing:
            print(f"embedding-lab: warning: no gradebook at {missing}: the class report will be empty. "
                  "Start `embedding-lab dashboards` inside the course directory, or pass --course-dir DIR "
                  "(or --db-url URL).", file=sys.stderr)
    try:
        return serve(dashboards, course_dir=course_dir, db_url=db_url, port=args.port,
                     ip=args.ip, open_browser=not args.no_browser, pool_size=args.pool_size,
                     show_tracebacks=args.show_tracebacks, base_url=args.base_url)
    except FileNotFoundError as error:
        print(f"embedding-lab: error: {error}", file=sys.stderr)
        return 1


def _missing_gradebook(db_url: str) -> Path | None:
    """The file a sqlite gradebook URL names, when it does not exist (other databases: not checked)."""
    if db_url.startswith("sqlite:///"):
        path = Path(db_url.removeprefix("sqlite:///"))
        return None if path.is_file() else path
    return None


_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def _base_url(text: str) -> str:
    if not text.startswith("/"):
        raise argparse.ArgumentTypeError(f"a base URL is a path starting with /, not {text!r}")
    return text if text.endswith("/") else text + "/"


def _port(text: str) -> int:
    value = _count(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a number in 1..65535, not {text}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {value}")
    return value
