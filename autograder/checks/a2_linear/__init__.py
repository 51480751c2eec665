"""Hidden-test logic for a2_linear (one module per function): an embedding is a bias-free linear layer.

One check per notebook test cell (the check's name is the cell's grade_id), each
covering one rule the notebook states. The student's modules are only driven when
they are exactly ``nn.Linear`` / ``nn.Embedding``; anything else is recorded as it
is and fails with a message that says what was returned.

Where a known mistake fails a cell, a diagnosis step before the rule's general step
names it (the weight kept untransposed, in and out swapped, a bias, a repeated index
overwritten or averaged, ...). A cell judges its own rule: the dtype cells accept the
weight in either layout (the layout is the _basic cells' rule), the repeated-index cell
accepts the gradient transposed (its shape is _basic's rule), and the index-type cell
compares tensor indices with the student's own result for a list.
"""
from __future__ import annotations

# In notebook order (the registry keeps definition order).
from . import embedding_to_linear, linear_to_embedding, embedding_weight_grad, quizzes  # noqa: F401
