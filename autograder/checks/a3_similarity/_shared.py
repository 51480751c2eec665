"""What several a3 checks share: the step that says an input was changed in place."""
from __future__ import annotations

import torch


def _unchanged(p, after: torch.Tensor, what: str) -> None:
    # Inputs are rebuilt identically on both sides, so recording them after the call
    # compares them with the reference's untouched copy.
    p.expect(after, f"{what} was modified in place; the instructions say inputs are never changed")
