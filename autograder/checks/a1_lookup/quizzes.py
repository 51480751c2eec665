"""The checks of a1's quiz answers (the keys are in ``autograder/reference/a1_lookup.py``)."""
from __future__ import annotations

from autograder.checks.toolbox import quiz


quiz_weight_shape_answer = quiz("quiz_weight_shape", "Quiz: the shape of nn.Embedding(5, 3).weight.",
                                reread="the section on nn.Embedding and its weight")
quiz_one_hot_nonzeros_answer = quiz("quiz_one_hot_nonzeros", "Quiz: how many non-zero entries a one-hot vector has.",
                                    reread="the section on one-hot vectors")
quiz_one_hot_times_w_answer = quiz("quiz_one_hot_times_w", "Quiz: what one_hot(i) @ W computes.",
                                   reread="the section on one-hot times W")
quiz_lookup_row_answer = quiz("quiz_lookup_row", "Quiz: which row of the weight holds the vector of 迎.",
                              reread="the sections on the vocabulary and on looking up a row")
