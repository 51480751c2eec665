"""The ``embedding-lab`` command (also ``python -m autograder``): a thin argparse layer.

Each subcommand's work lives in its own module; subcommands owned elsewhere
register themselves through an ``add_parser(subparsers)`` function listed in
``_REGISTRARS``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .course import DEFAULT_COURSE_DIR, GRADERS, CourseError, add_course_dir, course_dir_of, init_course
from .course_settings import CourseSettingsError
from .submissions import SubmissionError
from .dashboards import cli as dashboards_cli
from .grading import cli as grading_cli


def _init(args) -> int:
    course_dir = course_dir_of(args)
    result = init_course(course_dir, db_url=args.db_url, assignments=args.assignment or None,
                         exchange_root=args.exchange)
    for rel in result.created:
        print(f"created  {rel}")
    for rel in result.updated:
        print(f"updated  {rel}")
    for rel in result.kept:
        print(f"kept     {rel} (edited in the course; the repository's version differs)")
    print(f"course directory ready: {result.course_dir} ({', '.join(result.assignments)})")
    print(f"next: cd {course_dir} && nbgrader generate_assignment {result.assignments[0]}"
          if result.assignments else "")
    return 0


def _demo(args) -> int:
    from .pipeline import run_demo, summary  # imports nbgrader: only when needed

    out = run_demo(course_dir_of(args), db_url=args.db_url, assignments=args.assignment or None,
                   grader=args.grader)
    print(summary(out))
    return 0


def _add_builtin(sub) -> None:
    p = sub.add_parser("init", help="create or update an nbgrader course directory from assignments/")
    add_course_dir(p, Path("."), "the current directory", positional=True)
    p.add_argument("--db-url", help="gradebook database URL to write into nbgrader_config.py")
    p.add_argument("--exchange", metavar="DIR",
                   help="the nbgrader exchange folder to write into nbgrader_config.py "
                        "(default: nbgrader's, /srv/nbgrader/exchange)")
    p.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
    p.set_defaults(func=_init)

    p = sub.add_parser("demo", help="run the whole instructor pipeline on the bundled course")
    add_course_dir(p, DEFAULT_COURSE_DIR, f"./{DEFAULT_COURSE_DIR}", positional=True)
    p.add_argument("--db-url", help="gradebook database URL (default: sqlite in the course directory)")
    p.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
    p.add_argument("--grader", choices=GRADERS, default=GRADERS[0],
                   help="autograde with `embedding-lab grade` (default) or stock `nbgrader autograde`")
    p.set_defaults(func=_demo)


_REGISTRARS = [_add_builtin, dashboards_cli.add_parser, grading_cli.add_parser]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="embedding-lab",
        description="The embedding-lab course kit: course set-up, grading and dashboards.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in _REGISTRARS:
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (CourseError, CourseSettingsError, SubmissionError) as exc:
        print(f"embedding-lab: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("embedding-lab: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
