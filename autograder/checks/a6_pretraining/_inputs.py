"""The fixed inputs and readers the a6 checks share."""
from __future__ import annotations

import torch
from torch import nn

from autograder.checks.toolbox import tensors
from autograder.checks.toolbox import TENSOR_TYPES


def generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def table(rows: int, d: int, seed: int, dtype=torch.float32) -> nn.Embedding:
    """A fresh ``nn.Embedding`` with rows drawn in float64 from ``seed``, then cast (the same
    numbers in every dtype, rounded)."""
    module = nn.Embedding(rows, d).to(dtype)
    with torch.no_grad():
        module.weight.copy_(torch.randn(rows, d, generator=generator(seed), dtype=torch.float64).to(dtype))
    return module


def table_of(weight: torch.Tensor) -> nn.Embedding:
    """A fresh ``nn.Embedding`` holding ``weight`` (copied)."""
    module = nn.Embedding(*weight.shape).to(weight.dtype)
    with torch.no_grad():
        module.weight.copy_(weight)
    return module


def pair(out) -> tuple:
    """The two items of an exact tuple or list of two; (None, None) for anything else."""
    if type(out) in (tuple, list) and len(out) == 2:
        return out[0], out[1]
    return None, None


def is_tensor_pair(out) -> bool:
    first, second = pair(out)
    return type(first) in TENSOR_TYPES and type(second) in TENSOR_TYPES


def float64(value):
    """An exact tensor's values as a detached float64 tensor (for the grader's comparisons); else as is."""
    if type(value) not in TENSOR_TYPES:
        return value
    return tensors.to(tensors.detach(value), torch.float64)
