"""Safe looks at student values, shared by the checks.

Everything here looks at student objects by *exact* type before touching them,
so a tensor subclass or a ``dict`` subclass with a rigged ``==`` is never asked to
do anything: it is handed to ``p.expect`` as it is and recorded as an opaque
object, which never matches the reference.
"""
from __future__ import annotations

import math

import torch

TENSOR_TYPES = (torch.Tensor, torch.nn.Parameter)
QUIZ_LETTERS = ("a", "b", "c", "d")

# Tensor members are read from torch._C.TensorBase, an immutable C type: a student
# cell can replace torch.Tensor.dtype or torch.Tensor.sum, but not these.
_BASE = torch._C.TensorBase
_dtype = _BASE.dtype.__get__
_shape = _BASE.shape.__get__
_requires_grad = _BASE.requires_grad.__get__
_grad = _BASE.grad.__get__
_mul = _BASE.mul
_sum = _BASE.sum
_detach = _BASE.detach
_clone = _BASE.clone
_numel = _BASE.numel
_sub = _BASE.sub
_abs = _BASE.abs
_max = _BASE.max
_backward = torch.Tensor.backward  # Python-level in torch; bound at import at least


def tensor_or_none(value):
    """``value`` if it is exactly a tensor (or Parameter), else None."""
    return value if type(value) in TENSOR_TYPES else None


def dtype_of(value):
    """The dtype of a tensor; anything else is returned as is (and will not match)."""
    return _dtype(value) if type(value) in TENSOR_TYPES else value


def shape_of(value):
    """The shape of a tensor written as in the instructions, e.g. ``"(0, 7)"``; anything else as is."""
    if type(value) not in TENSOR_TYPES:
        return value
    return str(tuple(int(s) for s in _shape(value)))


def requires_grad_of(value):
    """Whether a tensor is still attached to the autograd graph (None for non-tensors)."""
    return bool(_requires_grad(value)) if type(value) in TENSOR_TYPES else None


def grad_of(tensor: torch.Tensor):
    """``tensor.grad`` of one of the probe's own tensors, read past any monkeypatching."""
    return tensor_or_none(_grad(tensor))


def finite_of(value):
    """True when an exact tensor or float holds no inf or NaN; anything else as is (and will not match)."""
    if type(value) is float:
        return math.isfinite(value)
    if type(value) not in TENSOR_TYPES:
        return value
    return bool(_BASE.all(_BASE.isfinite(_detach(value))))


def snapshot(value):
    """A private copy of an exact tensor (None for anything else)."""
    return _clone(_detach(value)) if type(value) in TENSOR_TYPES else None


def largest_change(after, before) -> float | None:
    """The largest absolute difference between two same-shaped tensors (None if not comparable)."""
    if type(after) not in TENSOR_TYPES or type(before) not in TENSOR_TYPES or _shape(after) != _shape(before):
        return None
    return float(_max(_abs(_sub(_detach(after), before)))) if _numel(before) else 0.0


def vocab_by_index(value):
    """A plain dict as ``[(token, index), ...]`` sorted by index then token.

    Insertion order is not part of the contract, the token->index mapping is.
    Anything that is not exactly a ``dict`` is returned as is (an opaque object).
    """
    if type(value) is not dict:
        return value
    def order(item):
        key, index = item
        return (type(index) is not int, index if type(index) is int else 0,
                key if type(key) is str else "")
    return [[k, v] for k, v in sorted(value.items(), key=order)]


def backprop(out, upstream: torch.Tensor) -> None:
    """``(out * upstream).sum().backward()`` on an exact tensor; raises otherwise."""
    if type(out) not in TENSOR_TYPES:
        raise TypeError(f"expected a tensor, got {type(out).__name__}")
    _backward(_sum(_mul(out, upstream)))


def quiz_answer(answer):
    """A quiz answer normalised for comparison: a stripped lower-case str, else as is."""
    value = answer.obj
    return value.strip().lower() if type(value) is str else value


def quiz_steps(p, answer, topic: str) -> None:
    """The two steps of every quiz check: a valid letter, then the right one."""
    normalised = quiz_answer(answer)
    p.expect(type(normalised) is str and normalised in QUIZ_LETTERS,
             f"{answer.name} should be one of the letters \"a\", \"b\", \"c\" or \"d\" (a string)")
    p.expect(normalised, f"{answer.name} is not the right answer: reread {topic}")
