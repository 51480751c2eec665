"""Hidden-test logic for a3_similarity (one module per function): cosine similarity, neighbours
and sentence vectors.

One check per notebook test cell (the check's name is the cell's grade_id); each
covers one rule the notebook states, so a function that breaks one rule loses
that cell's points and keeps the others. Value checks compare values only
(``check_dtype=False``) except in the cells about dtypes.
"""
from __future__ import annotations

# In notebook order (the registry keeps definition order).
from . import cosine_similarity, cosine_matrix, most_similar, sentence_vector, quizzes  # noqa: F401
