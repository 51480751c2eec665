"""Compare a student's observations with the reference's, step by step.

Pure functions over plain data: the hardened grader runs them in the grading
process, where nothing a student cell does can reach them.
"""
from __future__ import annotations

import math

from autograder.results import Verdict

from ._observe import describe

DEFAULT_ATOL = 1e-5


def same(got: dict, want: dict, atol: float = DEFAULT_ATOL, check_dtype: bool = True) -> bool:
    """True when two observations describe equal values (floats within ``atol``)."""
    if got.get("type") != want.get("type"):
        # An int where a float is expected is fine for scalar numbers.
        numeric = {"int", "float"}
        if {got.get("type"), want.get("type")} <= numeric:
            return _close(got["value"], want["value"], atol)
        return False
    kind = want["type"]
    if kind == "tensor":
        if check_dtype and got["dtype"] != want["dtype"]:
            return False
        if got["shape"] != want["shape"] or "values" not in got or "values" not in want:
            return False
        if len(got["values"]) != len(want["values"]):  # never zip lists of different lengths: a short one would pass
            return False
        return all(_close(g, w, atol) for g, w in zip(got["values"], want["values"]))
    if kind in ("list", "tuple", "dict"):
        g_items, w_items = got.get("items"), want.get("items")
        if g_items is None or w_items is None or len(g_items) != len(w_items):
            return False
        if kind == "dict":
            return all(same(gk, wk, atol) and same(gv, wv, atol, check_dtype)
                       for (gk, gv), (wk, wv) in zip(g_items, w_items))
        return all(same(g, w, atol, check_dtype) for g, w in zip(g_items, w_items))
    if kind == "float":
        return _close(got["value"], want["value"], atol)
    if kind == "object":
        return False  # opaque objects never match: we cannot see inside them
    return got.get("value") == want.get("value")


def _close(g, w, atol: float) -> bool:
    if isinstance(g, str) or isinstance(w, str):  # "nan", "inf", "-inf"
        return g == w
    if isinstance(g, bool) != isinstance(w, bool):
        return False
    return math.isfinite(g) and abs(g - w) <= atol


def judge(student: list[dict], reference: list[dict]) -> Verdict:
    """Walk both step lists together; the first step that differs decides.

    Messages come from the reference steps (built in the grading process), the
    student's side only supplies what was observed.
    """
    for i, want in enumerate(reference):
        got = student[i] if i < len(student) else None
        if got is None:
            return Verdict(False, "the check stopped early (the kernel did not report every step)")
        if got.get("kind") != want["kind"] or got.get("label") != want["label"]:
            return Verdict(False, "the check did not run in the expected order; was a grading function replaced?")
        failure = _step_failure(got, want)
        if failure:
            return Verdict(False, failure)
    if len(student) > len(reference):
        return Verdict(False, "the check reported more steps than the reference")
    return Verdict(True)


def _hint_applies(want: dict, error: dict) -> bool:
    needles = want.get("hint_when") or ()
    message = str(error.get("message", "")).lower()
    return not needles or any(needle.lower() in message for needle in needles)


def _inside(error: dict) -> str | None:
    """The notebook function an error came from, when it is not the one the step called."""
    inside = error.get("inside")
    return inside[:80] if isinstance(inside, str) and inside else None


def _called(want: dict) -> str:
    return str(want["what"]).split("(", 1)[0]


def _raised(what: str, error: dict, hint: str = "") -> str:
    """``f(...) raised E: message -- hint``, said of the student's function the error came from.

    An error raised inside another of the student's functions (``one_hot``, called by
    ``lookup_via_one_hot``) is either that function's mistake or a wrong call of it: the
    message names it and says how to tell, and the called function's hint becomes one
    of the two ways.
    """
    inside = _inside(error)
    if inside is None:
        return f"{what} raised {error['name']}: {error['message']}" + (f" -- {hint}" if hint else "")
    called = what.split("(", 1)[0]
    return (f"{what} raised {error['name']} inside your {inside}, which {called} calls: {error['message']} "
            f"-- if {inside}'s own test cells fail too, fix {inside} first; if they pass, look at what "
            f"{called} gives it" + (f" ({hint})" if hint else ""))


def _step_failure(got: dict, want: dict) -> str | None:
    kind = want["kind"]
    if kind == "missing":
        if got["present"] == want["present"]:
            return None
        return f"`{want['label']}` is not defined: run the cell that defines it (and keep its name)"
    if kind == "call":
        if got["raised"] == want["raised"]:
            return None
        if want["raised"] is None:
            error = got["raised"]
            hint = want["hint"] if want.get("hint") and _hint_applies(want, error) else ""
            return _raised(want["what"], error, hint)
        return f"{want['what']} should raise an error but raised none"  # pragma: no cover - see raises
    if kind == "raises":
        expected = want["raised"]
        raised = got["raised"]
        if expected is None:
            if raised is None:
                return None
            return _raised(want["what"], raised)
        if raised is not None and expected["name"] in raised["mro"]:
            return None
        if raised is None:
            return want["message"].format(got="no exception")
        inside = _inside(raised)
        where = f", inside your {inside}, which {_called(want)} calls" if inside else ""
        return want["message"].format(got=f"{raised['name']} ({raised['message']}){where}")
    if kind == "expect":
        if same(got["value"], want["value"], want["atol"], want["check_dtype"]):
            return None
        return want["message"].format(got=describe(got["value"]))
    raise ValueError(f"unknown step kind {kind!r}")
