"""How a failed check reads where students and instructors see it.

A failed hidden test shows one thing: ``AssertionError:`` and the worded message,
wrapped so it fits the page (feedback HTML and the formgrader show tracebacks in
``<pre>`` blocks that never wrap). No frames, no file paths of the instructor's
install, no hidden-test call: under stock nbgrader too, where IPython would
otherwise print the whole traceback of :func:`autograder.checks.run_check`.
"""
from __future__ import annotations

import textwrap

WIDTH = 100
"""Characters per line: what a feedback page or the formgrader shows without scrolling."""
_RED, _RESET = "\x1b[0;31m", "\x1b[0m"


def failure_traceback(message: str, ename: str = "AssertionError", width: int = WIDTH) -> list[str]:
    """The traceback lines of a failed check: ``ename: message``, wrapped at ``width``."""
    lines = []
    for paragraph in f"{ename}: {message}".splitlines():
        lines.extend(textwrap.wrap(paragraph, width=width, break_long_words=False, break_on_hyphens=False,
                                   subsequent_indent="    ") or [""])
    lines[0] = _RED + ename + _RESET + lines[0][len(ename):]
    return lines


def check_failure(message: str) -> AssertionError:
    """An ``AssertionError`` that IPython shows as :func:`failure_traceback`, not as a traceback."""
    error = AssertionError(message)
    # IPython (and so nbgrader's executed notebooks) prints whatever _render_traceback_ returns.
    setattr(error, "_render_traceback_", lambda: failure_traceback(message))
    return error


def compile_error(exc: BaseException) -> str:
    """A cell's compile error as a student reads it: ``IndentationError: unexpected indent, line 8``.

    The line is the cell's own; the file name the grader compiled it under means nothing to a student.
    """
    if isinstance(exc, SyntaxError) and exc.lineno:
        return f"{type(exc).__name__}: {exc.msg}, line {exc.lineno}"
    return f"{type(exc).__name__}: {exc}"


def not_compiled(name: str, error: str) -> str:
    """Why ``name`` is missing when the cell that defines it did not compile (``error``: :func:`compile_error`)."""
    return (f"`{name}` is not defined: the cell that defines it does not compile ({error}), so it never ran; "
            "fix that cell")
