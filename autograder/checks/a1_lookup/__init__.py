"""Hidden-test logic for a1_lookup (one module per function): vocabulary, one-hot and the lookup table.

One check per notebook test cell (the check's name is the cell's grade_id).
Each check covers one rule the notebook states, so a function that breaks one
rule loses that cell's points and keeps the others. Value checks after the
dtype cell compare values only (``check_dtype=False``) for the same reason, and a
cell's inputs avoid what another cell judges where they can (``lookup_via_one_hot``'s
dtype cell uses a square weight, so mixing up V and d is the basic cell's to report).
Where a known mistake gives a recognisable result, a diagnosis step names it before
the rule's general step (``name_the_mistakes``); every message is worded so it
is true of whatever made that step fail.
"""
from __future__ import annotations

# In notebook order (the registry keeps definition order).
from . import build_vocab, encode, one_hot, lookup, lookup_via_one_hot, quizzes  # noqa: F401
