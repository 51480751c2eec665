"""a6's quizzes: a valid letter, then the right one."""
from __future__ import annotations

from autograder.checks import check
from autograder.checks._student_values import quiz_steps


@check
def quiz_keep_some_answer(p, quiz_keep_some):
    """Quiz: why BERT keeps 10% of the chosen characters and replaces 10% by random ones."""
    quiz_steps(p, quiz_keep_some, "the section on BERT's masking (Task 1)")


@check
def quiz_tied_parameters_answer(p, quiz_tied_parameters):
    """Quiz: how many parameters tying the output layer to the token table saves."""
    quiz_steps(p, quiz_tied_parameters, "the section on tied output scores (Task 3)")


@check
def quiz_capital_answer(p, quiz_capital):
    """Quiz: why our model does not fill [MASK][MASK]是法国的首都 with 巴黎."""
    quiz_steps(p, quiz_capital, "the section on the article's own sentence")


@check
def quiz_same_row_answer(p, quiz_same_row):
    """Quiz: the input row of 行 in 银行 and in 行走."""
    quiz_steps(p, quiz_same_row, "the section on one row versus contextual vectors")


@check
def quiz_frozen_answer(p, quiz_frozen):
    """Quiz: what training with a frozen table does to cos(喜欢, 讨厌)."""
    quiz_steps(p, quiz_frozen, "the section on frozen and fine-tuned tables")
