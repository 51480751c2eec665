"""The hardened autograder behind ``embedding-lab grade`` (issue 7).

Stages, one module each: ``repair`` (fix damaged submissions against the
gradebook's source cells), ``plan`` and ``transform`` (cells -> steps, IPython
syntax -> Python, in the grading process), ``sandbox`` (the forked process where
student code runs), ``worker`` (drives sandboxes, timeouts, restarts, judging),
``gradebook`` (nbgrader's own Autograde converter with precomputed outputs),
``runner`` (the parallel pipeline), ``report`` (progress and the unusual-events
report) and ``cli``.
"""
from .results import Event, Graded, Output, Step
from .runner import GradingRun, grade_assignment
from .worker import Limits

__all__ = ["Event", "Graded", "GradingRun", "Limits", "Output", "Step", "grade_assignment"]
