"""The hardened autograder behind ``embedding-lab grade`` (issue 7).

Stages, one module each: ``repair`` (fix damaged submissions against the
gradebook's source cells), ``plan`` and ``transform`` (cells -> steps, IPython
syntax -> Python, in the grading process), ``sandbox`` (the forked process where
student code runs), ``worker`` (drives sandboxes, timeouts, restarts, judging),
``gradebook`` (nbgrader's own Autograde converter with precomputed outputs),
``runner`` (the parallel pipeline), ``report`` (progress and the unusual-events
report) and ``cli``.

Names are imported lazily so ``embedding-lab --help`` does not import torch.
"""
import importlib

__all__ = ["Event", "Graded", "GradingRun", "Limits", "Output", "Step", "grade_assignment"]

_WHERE = {"Event": "results", "Graded": "results", "Output": "results", "Step": "results",
          "GradingRun": "runner", "grade_assignment": "runner", "Limits": "worker"}


def __getattr__(name):
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
