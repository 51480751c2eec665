"""The checks of a3's quiz answers (the keys are in ``autograder/reference/a3_similarity.py``)."""
from __future__ import annotations

from autograder.checks.toolbox import quiz


quiz_scaled_vector_answer = quiz("quiz_scaled_vector", "Quiz: what scaling a vector does to its cosine similarity.",
                                 reread="the section on why cosine ignores length")
quiz_zero_vector_answer = quiz("quiz_zero_vector", "Quiz: the cosine similarity of a zero vector.",
                               reread="the section on the zero vector")
quiz_sum_or_mean_answer = quiz("quiz_sum_or_mean", "Quiz: sum and mean sentence vectors compared by cosine.",
                               reread="the section on sentence vectors")
