"""Tensor members a check may use on a student's tensor, and how dtypes are named.

They are read from ``torch._C.TensorBase``, an immutable C type: a student cell can
replace ``torch.Tensor.tolist`` or ``torch.Tensor.sum`` but not these, so what a
check reads is what the tensor holds, whenever this module was imported. Use them
only on values whose exact type is in :data:`TENSOR_TYPES` (a subclass is never asked
to do anything), and never call a method on a student's tensor directly.
"""
from __future__ import annotations

from typing import Any

import torch

TENSOR_TYPES = (torch.Tensor, torch.nn.Parameter)

# Any: torch's stubs type these members as the values they give, not as the descriptors they are.
_BASE: Any = torch._C.TensorBase
dtype = _BASE.dtype.__get__
shape = _BASE.shape.__get__
size = _BASE.size
requires_grad = _BASE.requires_grad.__get__
grad = _BASE.grad.__get__
numel = _BASE.numel
dim = _BASE.dim
is_floating_point = _BASE.is_floating_point
is_complex = _BASE.is_complex
item = _BASE.item
detach = _BASE.detach
clone = _BASE.clone
cpu = _BASE.cpu
to = _BASE.to
reshape = _BASE.reshape
tolist = _BASE.tolist
numpy = _BASE.numpy
mul = _BASE.mul
sub = _BASE.sub
sum = _BASE.sum  # noqa: A001 - the tensor method's name
abs = _BASE.abs  # noqa: A001
max = _BASE.max  # noqa: A001
all = _BASE.all  # noqa: A001
isfinite = _BASE.isfinite
backward = torch.Tensor.backward  # Python-level in torch; bound at import at least


def is_tensor(value) -> bool:
    """Exactly a tensor or a Parameter (not a subclass)."""
    return type(value) in TENSOR_TYPES


def dtype_name(value: torch.dtype) -> str:
    """``float32`` for ``torch.float32``: how the instructions write dtypes."""
    return str(value).removeprefix("torch.")


def with_article(word: str) -> str:
    """``an int64``, ``a float32``: for messages."""
    return f"{'an' if word[:1] in 'aeio' else 'a'} {word}"
