"""a6's quizzes: a valid letter, then the right one (the keys are in ``autograder/reference/a6_pretraining.py``)."""
from __future__ import annotations

from autograder.checks.toolbox import quiz


quiz_keep_some_answer = quiz("quiz_keep_some",
                             "Quiz: why BERT keeps 10% of the chosen characters and replaces 10% by random ones.",
                             reread="the section on BERT's masking (Task 1)")
quiz_tied_parameters_answer = quiz("quiz_tied_parameters",
                                   "Quiz: how many parameters tying the output layer to the token table saves.",
                                   reread="the section on tied output scores (Task 3)")
quiz_capital_answer = quiz("quiz_capital", "Quiz: why our model does not fill [MASK][MASK]是法国的首都 with 巴黎.",
                           reread="the section on the article's own sentence")
quiz_same_row_answer = quiz("quiz_same_row", "Quiz: the input row of 行 in 银行 and in 行走.",
                            reread="the section on one row versus contextual vectors")
quiz_frozen_answer = quiz("quiz_frozen", "Quiz: what training with a frozen table does to cos(喜欢, 讨厌).",
                          reread="the section on frozen and fine-tuned tables")
