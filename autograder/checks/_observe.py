"""Turn student objects into plain, JSON-safe observations.

Observations are what leaves the student's kernel, so they are built from exact
types only: a ``dict`` subclass whose ``==`` is always True, or a tensor subclass,
is recorded as an opaque object and never compares equal to the real thing.
Tensors are read through ``_tensors`` (members a student cell cannot replace).
"""
from __future__ import annotations

import math

import torch

from . import _tensors as tensors
from ._tensors import TENSOR_TYPES, dtype_name, with_article

MAX_ITEMS = 20_000  # larger containers are summarised, not copied out


def observe(value, depth: int = 0) -> dict:
    """A plain-data description of ``value`` (nested dicts, lists, numbers, strings)."""
    kind = type(value)
    if kind in TENSOR_TYPES:
        return _observe_tensor(value)
    if value is None or kind is bool or kind is str:
        return {"type": kind.__name__, "value": value}
    if kind is int:
        return {"type": "int", "value": value}
    if kind is float:
        return {"type": "float", "value": _float(value)}
    if kind is torch.dtype:
        return {"type": "dtype", "value": dtype_name(value)}
    if kind in (list, tuple) and depth < 4:
        if len(value) > MAX_ITEMS:
            return {"type": kind.__name__, "too_long": len(value)}
        return {"type": kind.__name__, "items": [observe(v, depth + 1) for v in value]}
    if kind is dict and depth < 4:
        if len(value) > MAX_ITEMS:
            return {"type": "dict", "too_long": len(value)}
        return {"type": "dict", "items": [[observe(k, depth + 1), observe(v, depth + 1)] for k, v in value.items()]}
    return {"type": "object", "class": f"{kind.__module__}.{kind.__qualname__}"}


def _float(x: float):
    # JSON has no NaN/inf: keep them as tagged strings so the judge can see them.
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def _observe_tensor(t) -> dict:
    t = tensors.cpu(tensors.detach(t))
    shape = list(tensors.size(t))
    dtype = dtype_name(tensors.dtype(t))
    n = 1
    for s in shape:
        n *= s
    if n > MAX_ITEMS:
        return {"type": "tensor", "dtype": dtype, "shape": shape, "too_large": n}
    flat = tensors.reshape(t, (-1,))
    if tensors.is_complex(t):
        return {"type": "tensor", "dtype": dtype, "shape": shape, "complex": True}
    if tensors.is_floating_point(t):
        values = [_float(v) for v in tensors.tolist(tensors.to(flat, torch.float64))]
    else:
        values = tensors.tolist(flat)
    return {"type": "tensor", "dtype": dtype, "shape": shape, "values": values}


SMALLEST_SHOWN = 1e-6
"""Below this size a float is shown as 0.0: no check tells such a number from 0 (their tolerance is 1e-5)."""


def readable_number(value) -> str:
    """A float as a student reads it: 4 significant digits (``0.8641``, ``1.0``, ``-2.5e+04``).

    The digits past the fourth depend on the CPU (AVX2 and AVX-512 kernels round float32
    sums differently) and mean nothing to a student; ``nan``, ``inf`` and ``-inf`` (tagged
    strings in an observation) are shown as such.
    """
    if isinstance(value, str) or not math.isfinite(value):
        return str(value)
    if abs(value) < SMALLEST_SHOWN:
        return "0.0"
    text = f"{value:.4g}"
    return text if any(c in text for c in ".e") else text + ".0"  # 1.0, not 1: it is a float


def describe(obs: dict) -> str:
    """A short human summary of an observation, for failure messages.

    It says what the student's object *is* (type, dtype, shape), and shows values
    only for small scalars, so messages never leak hidden expected tensors.
    """
    kind = obs.get("type")
    if kind == "tensor":
        return f"{with_article(obs['dtype'])} tensor of shape {tuple(obs['shape'])}"
    if kind == "object":
        return f"an object of type {obs['class'].split('.')[-1]}"
    if kind in ("list", "tuple", "dict"):
        n = obs.get("too_long", len(obs.get("items", [])))
        noun = {"list": "list", "tuple": "tuple", "dict": "dict"}[kind]
        return f"a {noun} of length {n}"
    if kind == "dtype":
        return obs["value"]
    if kind == "float":
        return readable_number(obs["value"])
    if kind in ("int", "bool", "NoneType"):
        return repr(obs["value"])
    if kind == "str":
        text = obs["value"]
        return repr(text if len(text) <= 40 else text[:37] + "...")
    return kind or "?"
