"""Hidden-test logic: one module (or package) per assignment, each check a plain function.

Check authors import everything they use from :mod:`autograder.checks.toolbox` (its
docstring states the rules; ``docs/writing-checks.md`` shows them at work). This module
is the registry and the runner.

A check is registered with :func:`check` and named after the grade_id of the
notebook test cell that runs it (``"a1_lookup.one_hot_dtype"``). In a notebook
the hidden part of a test cell calls :func:`run_check`, which probes the
student's namespace and the reference solution and raises ``AssertionError``
with a worded message on the first difference. The hardened grader uses the
same pieces apart: :func:`probe_namespace` inside the kernel, :func:`judge`
outside it.
"""
from __future__ import annotations

import functools
import importlib
import inspect
import re
import sys
import types
from dataclasses import dataclass
from typing import Callable

from ._feedback import check_failure, compile_error, not_compiled
from ._judge import Verdict, judge, same
from ._observe import describe, observe
from ._probe import Probe, ProbeStopped, RecordKind, Student, recorded

__all__ = [
    "Check", "Probe", "RecordKind", "Verdict", "check", "checks_for", "describe", "get_check", "judge",
    "observe", "probe_namespace", "recorded", "reference_steps", "run_check", "same", "verdict_between", "verdict_for",
]

ASSIGNMENTS = ("a1_lookup", "a2_linear", "a3_similarity", "a4_training", "a5_pretrained", "a6_pretraining")


@dataclass(frozen=True)
class Check:
    """One hidden-test check."""

    assignment: str
    """The assignment (and module) it belongs to, e.g. ``a1_lookup``."""
    name: str
    """The grade_id of the notebook test cell that runs it."""
    uses: tuple[str, ...]
    """Names the probe takes from the notebook namespace (functions or answers)."""
    probe: Callable
    """``probe(p, *objects)``: drives the objects and records steps on ``p``."""
    doc: str
    """What it checks, in one line."""

    @property
    def key(self) -> str:
        return f"{self.assignment}.{self.name}"


_REGISTRY: dict[str, Check] = {}


def check(probe: Callable) -> Callable:
    """Register ``probe`` as the check named after it, in its module's assignment (a module
    ``autograder.checks.a4_training``, or one of a package's, ``autograder.checks.a6_pretraining.mlm_loss``)."""
    module = probe.__module__
    if module.startswith(__name__ + "."):
        assignment = module.removeprefix(__name__ + ".").split(".", 1)[0]
    else:
        assignment = module.rsplit(".", 1)[-1]
    params = list(inspect.signature(probe).parameters)[1:]  # first one is the Probe
    doc = (inspect.getdoc(probe) or "").splitlines()
    item = Check(assignment, probe.__name__, tuple(params), probe, doc[0] if doc else "")
    if item.key in _REGISTRY and _REGISTRY[item.key].probe is not probe:
        raise ValueError(f"check {item.key} is defined twice")
    _REGISTRY[item.key] = item
    return probe


def checks_for(assignment: str) -> list[Check]:
    """Every check of an assignment, in definition order."""
    if assignment not in ASSIGNMENTS:
        raise KeyError(f"unknown assignment {assignment!r}; known: {', '.join(ASSIGNMENTS)}")
    importlib.import_module(f"{__name__}.{assignment}")
    return [c for c in _REGISTRY.values() if c.assignment == assignment]


def get_check(key: str) -> Check:
    """The check registered as ``assignment.name``."""
    assignment, _, name = key.partition(".")
    for item in checks_for(assignment):
        if item.name == name:
            return item
    raise KeyError(f"no check named {name!r} in {assignment}")


def notebook_functions(namespace: dict) -> dict[int, str]:
    """``{id(code): name}`` of the functions defined in ``namespace`` (exact functions only)."""
    return {id(value.__code__): name for name, value in list(namespace.items())
            if type(value) is types.FunctionType and type(name) is str}


def probe_namespace(item: Check, namespace: dict) -> list[dict]:
    """Run the check's probe on objects taken from ``namespace``; return its steps."""
    p = Probe(notebook_functions(namespace))
    args = []
    for name in item.uses:
        present = name in namespace
        p.steps.append(recorded("missing", name, present=present))
        if not present:
            return p.steps
        args.append(Student(name, namespace[name]))
    try:
        item.probe(p, *args)
    except ProbeStopped:
        pass
    return p.steps


@functools.lru_cache(maxsize=None)
def _reference_namespace(assignment: str) -> dict:
    return vars(importlib.import_module(f"autograder.reference.{assignment}"))


def reference_steps(item: Check) -> list[dict]:
    """The steps the reference solution records (deterministic, so cached)."""
    return _cached_reference_steps(item.key)


@functools.lru_cache(maxsize=None)
def _cached_reference_steps(key: str) -> list[dict]:
    item = get_check(key)
    steps = probe_namespace(item, _reference_namespace(item.assignment))
    broken = [s for s in steps if s["kind"] == "call" and s["raised"]]
    if broken or len(steps) < len(item.uses) + 1:
        raise RuntimeError(f"the reference solution fails its own check {key}: {broken}")
    return steps


def verdict_for(item: Check, namespace: dict) -> Verdict:
    """Probe ``namespace`` and judge it against the reference."""
    return judge(probe_namespace(item, namespace), reference_steps(item))


def verdict_between(probe: Callable, namespace: dict, reference: dict) -> Verdict:
    """Judge ``namespace`` against ``reference`` with a registered check, given as its probe.

    For trying a check before its assignment is registered (``docs/writing-checks.md``);
    once it is, :func:`verdict_for` judges against the reference solution itself.
    """
    item = next(c for c in _REGISTRY.values() if c.probe is probe)
    return judge(probe_namespace(item, namespace), probe_namespace(item, reference))


def run_check(key: str, namespace: dict | None = None) -> None:
    """Run one check in a notebook; raise ``AssertionError`` with a worded message on failure."""
    if namespace is None:
        namespace = sys._getframe(1).f_globals  # the notebook's globals
    item = get_check(key)
    steps = probe_namespace(item, namespace)
    verdict = judge(steps, reference_steps(item))
    if not verdict.passed:
        last = steps[-1] if steps else {}
        if last.get("kind") == "missing" and not last.get("present"):
            why = _uncompiled(last["label"], namespace.get("In"))
            if why is not None:
                verdict = Verdict(False, not_compiled(last["label"], why))
        # Shown as the worded message alone: no frames, paths or hidden-test call (see _feedback).
        raise check_failure(verdict.message) from None


def _uncompiled(name: str, history) -> str | None:
    """Why ``name`` is missing, when the last cell of the kernel's input history (IPython's ``In``)
    that defines it does not compile: its compile error (see ``_feedback.compile_error``)."""
    if type(history) is not list:
        return None
    defines = re.compile(rf"^(?:def|class)\s+{re.escape(name)}\b|^{re.escape(name)}\s*(?::|=(?!=))", re.M)
    for cell in reversed(history):
        if type(cell) is str and defines.search(cell):
            try:
                compile(cell, "<cell>", "exec")
            except (SyntaxError, ValueError) as exc:
                return compile_error(exc)
            return None
    return None
