"""The check author's toolbox: fixed seeded inputs, and safe looks at student values.

Every check takes its helpers from here (and tensor members from ``_tensors``).
Everything here looks at student objects by *exact* type before touching them,
so a tensor subclass or a ``dict`` subclass with a rigged ``==`` is never asked to
do anything: it is handed to ``p.expect`` as it is and recorded as an opaque
object, which never matches the reference.
"""
from __future__ import annotations

import math

import numpy as np
import torch

from . import _tensors as tensors
from ._tensors import TENSOR_TYPES

QUIZ_LETTERS = ("a", "b", "c", "d")
NUMPY_FLOATS = (np.float16, np.float32, np.float64, np.longdouble)
"""numpy's float scalars (``scores[i]`` of a numpy array), by exact type."""


def seeded_randn(*shape: int, seed: int, dtype=torch.float32, scale: float = 1.0) -> torch.Tensor:
    """The fixed random inputs of a check: drawn in float64 from ``seed``, scaled, then cast.

    Drawing in float64 first makes the values of every dtype the same numbers, rounded.
    """
    generator = torch.Generator().manual_seed(seed)
    return (torch.randn(*shape, generator=generator, dtype=torch.float64) * scale).to(dtype)


def number_as_tensor(out):
    """A Python number as a float64 0-dim tensor, so a value check judges the value only
    (returning a float instead of a tensor costs the cells about shape and dtype)."""
    return torch.tensor(float(out), dtype=torch.float64) if type(out) in (float, int) else out


def scalar_of(value):
    """The Python number an exact one-element tensor holds; anything else as is."""
    if type(value) in TENSOR_TYPES and tensors.numel(value) == 1:
        return tensors.item(tensors.detach(value))
    return value


def exact_pairs(out, convert):
    """``[convert(first, second), ...]`` when ``out`` is exactly a list of 2-item tuples or
    lists; anything else as is (an opaque object, which will not match)."""
    if type(out) is not list:
        return out
    pairs = []
    for item in out:
        if type(item) not in (tuple, list) or len(item) != 2:
            return out
        pairs.append(convert(*item))
    return pairs


def similarity_pairs(out):
    """``out`` as ``[[token, similarity], ...]``, a one-element tensor similarity read as a float.

    Values are judged with this; whether they are ``(str, float)`` tuples is its own cell
    (:func:`pair_types`).
    """
    return exact_pairs(out, lambda token, similarity: [token, _float_if_scalar(similarity)])


def _float_if_scalar(value):
    # A numpy float is judged by its value here; the cell about types says it is not a Python float.
    if type(value) in TENSOR_TYPES and tensors.numel(value) == 1:
        return float(tensors.item(value))
    if type(value) in NUMPY_FLOATS:
        return float(value)
    return value


def has_numpy_scores(out) -> bool:
    """Whether a list of pairs holds a numpy float as a similarity (instead of a Python float)."""
    return type(out) is list and any(type(item) in (tuple, list) and len(item) == 2
                                     and type(item[1]) in NUMPY_FLOATS for item in out)


def pair_types(out) -> list:
    """Which items of ``out`` are ``(str, float)`` tuples (values are judged elsewhere)."""
    if type(out) is not list:
        return ["not a list"]
    return [[type(item) is tuple, type(item) in (tuple, list) and len(item) == 2
             and type(item[0]) is str and type(item[1]) is float] for item in out]


def matches(value, wrong: torch.Tensor, atol: float = 1e-5) -> bool:
    """Whether a student's result equals ``wrong``, the value a known mistake gives.

    For a step that names the mistake before the rule is judged:
    ``p.expect(matches(out, mean_over_k), "... averages the K negatives ...")``
    records False for the reference, so only a result that is exactly that mistake
    fails it. ``value`` may be an exact tensor or a Python number; anything else
    (or another shape) is no match, and the steps after it judge it.
    """
    if type(value) in (int, float):
        value = torch.tensor(float(value), dtype=torch.float64)
    if type(value) not in TENSOR_TYPES or tuple(tensors.shape(value)) != tuple(wrong.shape):
        return False
    if not tensors.is_floating_point(value) or tensors.numel(value) == 0:
        return False
    got = tensors.to(tensors.detach(value), torch.float64)
    difference = tensors.abs(tensors.sub(got, wrong.to(torch.float64)))
    return bool(tensors.all(tensors.isfinite(difference))) and float(tensors.max(difference)) <= atol


def same_plain(value, wrong) -> bool:
    """Whether ``value`` equals ``wrong``, plain data (lists, tuples, ints, floats, strs,
    bools, None) that a known mistake gives; compared by exact type, so a student object
    with a rigged ``==`` is never asked. The list twin of :func:`matches`.
    """
    kind = type(wrong)
    if type(value) is not kind:
        return False
    if kind in (list, tuple):
        return len(value) == len(wrong) and all(same_plain(v, w) for v, w in zip(value, wrong))
    if kind is float:
        return math.isfinite(value) and abs(value - wrong) <= 1e-5
    if kind in (int, str, bool) or wrong is None:
        return value == wrong
    raise TypeError(f"same_plain compares plain data, not {kind.__name__}")


def name_the_mistakes(p, value, mistakes, atol: float = 1e-5) -> None:
    """A diagnosis step per known mistake, before the step of the rule's general message.

    ``mistakes`` is ``[(wrong, message), ...]``: what each mistake gives on the check's
    inputs, computed by the grader before the student's code ran (a tensor, compared by
    :func:`matches`, or plain data, by :func:`same_plain`), and the message that names it.
    The reference records False at every step, so only a result that is exactly that
    mistake fails one. Pass only the mistakes these inputs tell apart from the right result.
    """
    for wrong, message in mistakes:
        p.expect(matches(value, wrong, atol) if isinstance(wrong, torch.Tensor) else same_plain(value, wrong),
                 message)


def tensor_or_none(value):
    """``value`` if it is exactly a tensor (or Parameter), else None."""
    return value if type(value) in TENSOR_TYPES else None


def dtype_of(value):
    """The dtype of a tensor; anything else is returned as is (and will not match)."""
    return tensors.dtype(value) if type(value) in TENSOR_TYPES else value


def shape_of(value):
    """The shape of a tensor written as in the instructions, e.g. ``"(0, 7)"``; anything else as is."""
    if type(value) not in TENSOR_TYPES:
        return value
    return str(tuple(int(s) for s in tensors.shape(value)))


def requires_grad_of(value):
    """Whether a tensor is still attached to the autograd graph (None for non-tensors)."""
    return bool(tensors.requires_grad(value)) if type(value) in TENSOR_TYPES else None


def grad_of(tensor: torch.Tensor):
    """``tensor.grad`` of one of the probe's own tensors, read past any monkeypatching."""
    return tensor_or_none(tensors.grad(tensor))


def finite_of(value):
    """True when an exact tensor or float holds no inf or NaN; anything else as is (and will not match)."""
    if type(value) is float:
        return math.isfinite(value)
    if type(value) not in TENSOR_TYPES:
        return value
    return bool(tensors.all(tensors.isfinite(tensors.detach(value))))


def snapshot(value):
    """A private copy of an exact tensor (None for anything else)."""
    return tensors.clone(tensors.detach(value)) if type(value) in TENSOR_TYPES else None


def largest_change(after, before) -> float | None:
    """The largest absolute difference between two same-shaped tensors (None if not comparable)."""
    if type(after) not in TENSOR_TYPES or type(before) not in TENSOR_TYPES or tensors.shape(after) != tensors.shape(before):
        return None
    difference = tensors.sub(tensors.detach(after), before)
    return float(tensors.max(tensors.abs(difference))) if tensors.numel(before) else 0.0


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
    tensors.backward(tensors.sum(tensors.mul(out, upstream)))


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
