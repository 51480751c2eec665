"""check_rules: let a student check each rule of a task on inputs of their own choosing.

Validate and the visible test cells run a few examples; the hidden tests check
every rule a task lists, on other inputs, only when the notebook is graded. The
"Check the rules yourself" cells of the assignments call :func:`check_rules` with
one small claim per rule, written in plain sight, so that a student sees which
rules their code already keeps before handing in. Nothing here knows the hidden
tests or the reference solutions.
"""
from __future__ import annotations

from typing import Callable


def _describe_error(error: BaseException) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def check_rules(*rules: tuple) -> None:
    """Run each rule and print whether it holds, one line each.

    A rule is ``(description, claim)``, where ``claim()`` returns True when the rule
    holds, or ``(description, call, ExceptionType)``, where ``call()`` must raise
    that exception (or a subclass). A claim that raises, or returns anything but
    True, is reported with what happened. Nothing is graded here.
    """
    held = 0
    for rule in rules:
        if not isinstance(rule, tuple) or len(rule) not in (2, 3) or not callable(rule[1]):
            raise TypeError("each rule is (description, claim) or (description, call, ExceptionType)")
        description, call = rule[0], rule[1]
        expected = rule[2] if len(rule) == 3 else None
        verdict = _verdict(call, expected)
        held += verdict is None
        print(f"{'✓' if verdict is None else '✗'} {description}" + ("" if verdict is None else f"  <- {verdict}"))
    print(f"{held} of {len(rules)} rules hold here. The hidden tests check these rules (on other inputs) "
          "when your notebook is graded.")


def _verdict(call: Callable, expected: type[BaseException] | None) -> str | None:
    """None when the rule holds, else what happened instead, in a few words."""
    try:
        result = call()
    except Exception as error:  # the student's code: any error is an answer to report
        if expected is not None and isinstance(error, expected):
            return None
        want = f" (expected {expected.__name__})" if expected is not None else ""
        return f"raised {_describe_error(error)}{want}"
    if expected is not None:
        return f"raised nothing (expected {expected.__name__})"
    truth = _as_bool(result)
    if truth is True:
        return None
    return "does not hold" if truth is False else f"the claim gave {result!r}, not True or False"


def _as_bool(result) -> bool | None:
    """True/False for a bool, or a one-element bool such as ``torch.tensor(True)``; else None."""
    if isinstance(result, bool):
        return result
    if type(result).__name__ in ("Tensor", "bool_", "ndarray") and getattr(result, "dtype", None) is not None \
            and "bool" in str(result.dtype) and getattr(result, "shape", None) in ((), (1,)):
        return bool(result)
    return None
