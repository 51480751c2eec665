"""The hardened autograder behind ``embedding-lab grade`` (issue 7).

Stages, one module each: ``repair`` (fix damaged submissions against the
gradebook's source cells), ``plan`` and ``transform`` (cells -> steps, IPython
syntax -> Python, in the grading process), ``sandbox`` (the forked process where
student code runs), ``worker`` (drives sandboxes, timeouts, restarts, judging),
``gradebook_writer`` (nbgrader's own Autograde converter with precomputed outputs),
``runner`` (the parallel pipeline), ``records`` (the dataclasses passed between
the stages), ``warm_server`` (the grading process's side of ``zygote``), ``limits`` (every
limit and its default, written once) and ``cli``. The run's report (progress bar, unusual events)
is rendered in ``autograder/reporting/run_report.py``.

Names are imported lazily so ``embedding-lab --help`` does not import torch.
"""
import importlib

__all__ = ["Event", "Graded", "GradingRun", "Limits", "Output", "Step", "grade_assignment"]

_WHERE = {"Event": "records", "Graded": "records", "Output": "records", "Step": "records",
          "GradingRun": "runner", "grade_assignment": "runner", "Limits": "limits"}


def __getattr__(name):
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
