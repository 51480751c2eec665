"""Hidden-test logic for a6_pretraining: BERT's masking, position embeddings, tied output
scores, the masked-language-model loss, and copying pretrained rows into a new table.

One module per function the students write (and one for the quizzes); each check is named
after the grade_id of the notebook test cell that runs it and judges one rule the notebook
states, so a function that breaks one rule loses that cell's points and keeps the others.
Value checks compare values only (``check_dtype=False``) except in the cells about dtypes.
Where a known mistake gives a result of its own, a diagnosis step names it before the
rule's general step (see ``name_the_mistakes``): the grader computes what the mistake gives
before the student's code runs, and records the step only where that differs from the
right result, so both runs record the same steps.
"""
from . import mask_tokens, embed_with_positions, tied_logits, mlm_loss, copy_pretrained_rows, quizzes  # noqa: F401
