"""The checks of a5's quiz answers (the keys are in ``autograder/reference/a5_pretrained.py``)."""
from __future__ import annotations

from autograder.checks.toolbox import quiz


quiz_antonyms_close_answer = quiz("quiz_antonyms_close", "Quiz: why good and bad have close vectors.",
                                  reread="the section on neighbours and antonyms")
quiz_exclude_inputs_answer = quiz("quiz_exclude_inputs", "Quiz: why analogy leaves out its three input words.",
                                  reread="the section on analogies")
quiz_bias_source_answer = quiz("quiz_bias_source", "Quiz: where the he - she bias of the vectors comes from.",
                               reread="the section on directions and bias")
