"""Embeddings as numpy matrices, for the models that only read them (cosine, training)."""
from __future__ import annotations

import sys

import numpy as np


def as_matrix(weight: object, what: str = "weight") -> np.ndarray:
    """A (V, d) float64 copy of a tensor, ``nn.Embedding`` or array; ``what`` names it in errors."""
    # torch is not imported here: a numpy-only dashboard kernel stays ~190 MB lighter,
    # and an object can only be a tensor if its owner has already imported torch.
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(weight, torch.nn.Embedding):
        weight = weight.weight
    if torch is not None and isinstance(weight, torch.Tensor):
        weight = weight.detach().cpu().double().numpy()
    matrix = np.array(weight, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError(f"{what} must have shape (V, d); got shape {matrix.shape}")
    return matrix
