"""The checks of a2's quiz answers (the keys are in ``autograder/reference/a2_linear.py``)."""
from __future__ import annotations

from autograder.checks.toolbox import quiz


quiz_linear_weight_shape_answer = quiz("quiz_linear_weight_shape", "Quiz: the weight shape of the Linear equivalent to nn.Embedding(5, 3).",
                                       reread="the section on nn.Linear's weight")
quiz_bias_free_answer = quiz("quiz_bias_free", "Quiz: why the equivalent Linear has no bias.",
                             reread="the section on the bias")
quiz_unused_rows_grad_answer = quiz("quiz_unused_rows_grad", "Quiz: the gradient rows of tokens that are not in the batch.",
                                    reread="the section on the gradient of a lookup")
quiz_repeated_token_grad_answer = quiz("quiz_repeated_token_grad", "Quiz: the gradient row of a token that appears several times.",
                                       reread="the section on the gradient of a lookup")
