"""What the checks of embedding_to_linear and linear_to_embedding share: the modules they build,
safe reads of a returned module, and the dtype and independence steps of a conversion."""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from autograder.checks.toolbox import (
    dtype_name, dtype_of, largest_change, matches, seeded_randn, snapshot, tensor_or_none,
)


def _embedding(num: int, dim: int, seed: int, dtype=torch.float32) -> nn.Embedding:
    embedding = nn.Embedding(num, dim, dtype=dtype)
    with torch.no_grad():
        embedding.weight.copy_(seeded_randn(num, dim, seed=seed, dtype=dtype))
    return embedding


def _linear(in_features: int, out_features: int, seed: int, bias: bool = False, dtype=torch.float32) -> nn.Linear:
    linear = nn.Linear(in_features, out_features, bias=bias, dtype=dtype)
    with torch.no_grad():
        linear.weight.copy_(seeded_randn(out_features, in_features, seed=seed, dtype=dtype))
        if bias:
            linear.bias.copy_(seeded_randn(1, out_features, seed=seed + 1, dtype=dtype)[0])
    return linear


def _one_hot(indices: list[int], size: int, dtype=torch.float32) -> torch.Tensor:
    return torch.eye(size, dtype=dtype)[torch.tensor(indices, dtype=torch.int64)].reshape(len(indices), size)


def _class_of(value) -> str:
    kind = type(value)
    return f"{kind.__module__}.{kind.__qualname__}"


def _attr(module, cls, name: str):
    """``module.name`` when ``module`` is exactly ``cls`` (so no student code runs), else None."""
    return getattr(module, name) if type(module) is cls else None


def _weight(module, cls):
    """The module's weight when the module is exactly ``cls`` and the weight exactly a tensor, else None."""
    return tensor_or_none(_attr(module, cls, "weight"))


def _has_no_bias(module, cls):
    return _attr(module, cls, "bias") is None if type(module) is cls else None


def _forward(module, cls, x: torch.Tensor):
    if type(module) is not cls:
        raise TypeError(f"expected a torch.nn.{cls.__name__}, got {type(module).__name__}")
    return module(x)


def _change_in_place(module, cls, factor: float) -> None:
    if type(module) is not cls:
        raise TypeError(f"expected a torch.nn.{cls.__name__}, got {type(module).__name__}")
    with torch.no_grad():
        module.weight.mul_(factor).add_(1.0)


def _snapshot(module, cls):
    """A private copy of the module's weight (None if the module is not exactly ``cls``)."""
    return snapshot(_attr(module, cls, "weight"))


def _largest_change(module, cls, before) -> float | None:
    """How far the module's weight moved since ``before`` (0.0 when untouched).

    A number, not the weight itself, so a wrong-shaped weight is judged by the
    other cells and this one only says whether the two modules share memory.
    """
    return largest_change(_attr(module, cls, "weight"), before)


@dataclass(frozen=True)
class _Conversion:
    """One direction of the conversion, with the words its messages use."""

    function: str
    """``embedding_to_linear`` or ``linear_to_embedding``."""
    source: type
    target: type
    source_word: str
    """What the messages call the layer given: ``embedding``, ``Linear``."""
    target_word: str
    """What they call the layer returned: ``Linear``, ``Embedding``."""
    source_name: str
    """Its name in the weight formula: ``embedding.weight.T``, ``linear.weight.T``."""

    def build(self, rows: int, cols: int, seed: int, dtype=torch.float32):
        """The layer given: ``nn.Embedding(rows, cols)`` or ``nn.Linear(rows, cols, bias=False)``."""
        return (_embedding if self.source is nn.Embedding else _linear)(rows, cols, seed=seed, dtype=dtype)

    def shown(self, rows: int, cols: int, dtype=None) -> str:
        written = f"nn.Embedding({rows}, {cols})" if self.source is nn.Embedding else f"nn.Linear({rows}, {cols}, bias=False)"
        return f"{self.function}(a {dtype_name(dtype)} {written})" if dtype else f"{self.function}({written})"

    def class_step(self, p, made) -> None:
        p.expect(_class_of(made), f"{self.function} must return a torch.nn.{self.target_word}, not {{got}}")


_TO_LINEAR = _Conversion("embedding_to_linear", nn.Embedding, nn.Linear, "embedding", "Linear", "embedding")
_TO_EMBEDDING = _Conversion("linear_to_embedding", nn.Linear, nn.Embedding, "Linear", "Embedding", "linear")


def _dtype_steps(p, convert, way: _Conversion, seed: int) -> None:
    """The layer returned keeps the dtype of the one given (float32 and float64), and its values.

    The values are accepted in either layout, the same for both dtypes: whether the
    weight is transposed is the _basic cell's rule, not this one's.
    """
    source, target = way.source_word, way.target_word
    untransposed = False
    for dtype in (torch.float32, torch.float64):
        given = way.build(5, 3, seed=seed, dtype=dtype)
        values = snapshot(given.weight)
        made = p.call(convert, given, what=way.shown(5, 3, dtype))
        way.class_step(p, made)
        weight = _weight(made, way.target)
        p.expect(dtype_of(weight), f"for a {dtype_name(dtype)} {source} the {target}'s weight is {{got}}; it must "
                                   f"keep the {source}'s dtype: create the {target} with "
                                   f"dtype={way.source_name}.weight.dtype")
        if dtype == torch.float32:
            untransposed = matches(weight, values)
            p.expect(untransposed or matches(weight, values.T),
                     f"for a float32 {source} the {target}'s weight does not hold the {source}'s values: it must be "
                     f"{way.source_name}.weight.T")
        else:
            p.expect(matches(weight, values if untransposed else values.T),
                     f"for a float64 {source} the {target}'s weight does not hold the {source}'s values as it does "
                     f"for a float32 one: it must be {way.source_name}.weight.T, in float64")


def _independent_steps(p, convert, way: _Conversion, seed: int) -> None:
    """The layer returned holds its own copy: changing either weight in place leaves the other alone."""
    given = way.build(4, 3, seed=seed)
    made = p.call(convert, given, what=way.shown(4, 3))
    way.class_step(p, made)
    source, target = way.source_word, way.target_word
    p.expect(given.weight, f"{way.function} changed the {source} it was given; inputs must never be modified")
    p.call(_change_in_place, made, way.target, 2.0, what=f"changing the {target}'s weight in place (under torch.no_grad())")
    p.expect(given.weight, f"changing the {target}'s weight in place also changed the {source}: the {target} must "
                           "hold its own copy of the values (.T is a view that shares memory; copy it)")
    before = _snapshot(made, way.target)
    p.call(_change_in_place, given, way.source, -1.0, what=f"changing the {source}'s weight in place")
    p.expect(_largest_change(made, way.target, before),
             f"changing the {source}'s weight in place also changed the {target}: it must hold its own copy")
