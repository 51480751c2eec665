"""Hidden-test logic for a2_linear: an embedding is a bias-free linear layer.

One check per notebook test cell (the check's name is the cell's grade_id), each
covering one rule the notebook states. The student's modules are only driven when
they are exactly ``nn.Linear`` / ``nn.Embedding``; anything else is recorded as it
is and fails with a message that says what was returned.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from autograder.checks import check
from autograder.checks._student_values import (
    dtype_of, largest_change, quiz_steps, seeded_randn, shape_of, snapshot, tensor_or_none,
)
from autograder.checks._tensors import dtype_name


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


_TO_LINEAR = _Conversion("embedding_to_linear", nn.Embedding, nn.Linear, "embedding", "Linear", "embedding")
_TO_EMBEDDING = _Conversion("linear_to_embedding", nn.Linear, nn.Embedding, "Linear", "Embedding", "linear")


def _dtype_steps(p, convert, way: _Conversion, seed: int) -> None:
    """The layer returned keeps the dtype of the one given (float32 and float64), and its values."""
    for dtype in (torch.float32, torch.float64):
        given = way.build(5, 3, seed=seed, dtype=dtype)
        made = p.call(convert, given, what=way.shown(5, 3, dtype))
        weight = tensor_or_none(_attr(made, way.target, "weight"))
        p.expect(dtype_of(weight), f"for a {dtype_name(dtype)} {way.source_word} the {way.target_word}'s weight is "
                                   f"{{got}}; it must keep the {way.source_word}'s dtype")
        p.expect(weight, f"for a {dtype_name(dtype)} {way.source_word} the {way.target_word}'s weight is not "
                         f"{way.source_name}.weight.T", check_dtype=False)


def _independent_steps(p, convert, way: _Conversion, seed: int) -> None:
    """The layer returned holds its own copy: changing either weight in place leaves the other alone."""
    given = way.build(4, 3, seed=seed)
    made = p.call(convert, given, what=way.shown(4, 3))
    source, target = way.source_word, way.target_word
    p.expect(given.weight, f"{way.function} changed the {source} it was given; inputs must never be modified")
    p.call(_change_in_place, made, way.target, 2.0, what=f"changing the {target}'s weight in place (under torch.no_grad())")
    p.expect(given.weight, f"changing the {target}'s weight in place also changed the {source}: the {target} must "
                           "hold its own copy of the values (.T is a view that shares memory; copy it)")
    before = _snapshot(made, way.target)
    p.call(_change_in_place, given, way.source, -1.0, what=f"changing the {source}'s weight in place")
    p.expect(_largest_change(made, way.target, before),
             f"changing the {source}'s weight in place also changed the {target}: it must hold its own copy")


# --- embedding_to_linear -------------------------------------------------------------

@check
def embedding_to_linear_basic(p, embedding_to_linear):
    """embedding_to_linear: Linear(V, d, bias=False) whose weight is embedding.weight.T."""
    embedding = _embedding(5, 3, seed=31)
    linear = p.call(embedding_to_linear, embedding, what="embedding_to_linear(nn.Embedding(5, 3))")
    p.expect(_class_of(linear), "embedding_to_linear must return a torch.nn.Linear, not {got}")
    p.expect(_attr(linear, nn.Linear, "in_features"), "the Linear's in_features is {got}; it must be num_embeddings")
    p.expect(_attr(linear, nn.Linear, "out_features"), "the Linear's out_features is {got}; it must be embedding_dim")
    p.expect(_has_no_bias(linear, nn.Linear), "the Linear has a bias; create it with bias=False")
    p.expect(tensor_or_none(_attr(linear, nn.Linear, "weight")),
             "the Linear's weight ({got}) is not equal to embedding.weight.T", check_dtype=False)


@check
def embedding_to_linear_matches_embedding(p, embedding_to_linear):
    """linear(one_hot(idx, V)) equals embedding(idx) for several index lists."""
    embedding = _embedding(6, 4, seed=32)
    linear = p.call(embedding_to_linear, embedding, what="embedding_to_linear(nn.Embedding(6, 4))")
    for indices in ([2], [0, 5, 5, 1], []):
        out = p.call(_forward, linear, nn.Linear, _one_hot(indices, 6),
                     what=f"linear(one_hot({indices}, 6)) with the Linear from embedding_to_linear")
        p.expect(out, f"linear(one_hot({indices}, 6)) returned {{got}}, not embedding(torch.tensor({indices}))",
                 check_dtype=False)


@check
def embedding_to_linear_dtype(p, embedding_to_linear):
    """embedding_to_linear keeps the embedding's dtype (float32 and float64)."""
    _dtype_steps(p, embedding_to_linear, _TO_LINEAR, seed=33)


@check
def embedding_to_linear_independent(p, embedding_to_linear):
    """The Linear is an independent copy: changing either weight in place leaves the other alone."""
    _independent_steps(p, embedding_to_linear, _TO_LINEAR, seed=34)


# --- linear_to_embedding -------------------------------------------------------------

@check
def linear_to_embedding_basic(p, linear_to_embedding):
    """linear_to_embedding: Embedding(V, d) whose weight is linear.weight.T."""
    linear = _linear(5, 3, seed=41)
    embedding = p.call(linear_to_embedding, linear, what="linear_to_embedding(nn.Linear(5, 3, bias=False))")
    p.expect(_class_of(embedding), "linear_to_embedding must return a torch.nn.Embedding, not {got}")
    p.expect(_attr(embedding, nn.Embedding, "num_embeddings"),
             "the Embedding's num_embeddings is {got}; it must be the Linear's in_features")
    p.expect(_attr(embedding, nn.Embedding, "embedding_dim"),
             "the Embedding's embedding_dim is {got}; it must be the Linear's out_features")
    p.expect(tensor_or_none(_attr(embedding, nn.Embedding, "weight")),
             "the Embedding's weight ({got}) is not equal to linear.weight.T", check_dtype=False)


@check
def linear_to_embedding_matches_linear(p, linear_to_embedding):
    """embedding(idx) equals linear(one_hot(idx, V)) for several index lists."""
    linear = _linear(6, 4, seed=42)
    embedding = p.call(linear_to_embedding, linear, what="linear_to_embedding(nn.Linear(6, 4, bias=False))")
    for indices in ([3], [5, 0, 0, 2], []):
        out = p.call(_forward, embedding, nn.Embedding, torch.tensor(indices, dtype=torch.int64),
                     what=f"embedding(torch.tensor({indices})) with the Embedding from linear_to_embedding")
        p.expect(out, f"embedding(torch.tensor({indices})) returned {{got}}, not linear(one_hot({indices}, 6))",
                 check_dtype=False)


@check
def linear_to_embedding_dtype(p, linear_to_embedding):
    """linear_to_embedding keeps the Linear's dtype (float32 and float64)."""
    _dtype_steps(p, linear_to_embedding, _TO_EMBEDDING, seed=43)


@check
def linear_to_embedding_bias_error(p, linear_to_embedding):
    """linear_to_embedding raises ValueError for a Linear with a bias, and leaves that layer as it was."""
    linear = _linear(5, 3, seed=44, bias=True)
    p.raises(ValueError, linear_to_embedding, linear,
             message="linear_to_embedding(nn.Linear(5, 3) with a bias) should raise ValueError "
                     "(a layer with a bias is not an embedding), but raised {got}")
    p.expect(tensor_or_none(linear.bias), "linear_to_embedding removed or changed the bias of the layer it was given; "
                                          "inputs must never be modified")
    p.expect(linear.weight, "linear_to_embedding changed the weight of the layer it was given; inputs must never be modified")


@check
def linear_to_embedding_independent(p, linear_to_embedding):
    """The Embedding is an independent copy: changing either weight in place leaves the other alone."""
    _independent_steps(p, linear_to_embedding, _TO_EMBEDDING, seed=45)


# --- embedding_weight_grad -----------------------------------------------------------

@check
def embedding_weight_grad_basic(p, embedding_weight_grad):
    """embedding_weight_grad: the looked-up rows get their upstream rows, the others 0."""
    out = p.call(embedding_weight_grad, [1, 3], torch.ones(2, 3), 5)
    p.expect(shape_of(out), "embedding_weight_grad([1, 3], torch.ones(2, 3), 5) should have shape (5, 3) "
                            "(vocab_size, d), not {got}")
    p.expect(out, "embedding_weight_grad([1, 3], torch.ones(2, 3), 5) is wrong: rows 1 and 3 must be ones "
                  "and every other row zeros", check_dtype=False)


@check
def embedding_weight_grad_repeated(p, embedding_weight_grad):
    """A repeated index accumulates (sums) its upstream rows."""
    upstream = seeded_randn(5, 3, seed=51)
    out = p.call(embedding_weight_grad, [2, 0, 2, 2, 4], upstream, 6,
                 what="embedding_weight_grad([2, 0, 2, 2, 4], upstream of shape (5, 3), 6)")
    p.expect(out, "embedding_weight_grad with index 2 appearing three times returned {got} with wrong values: "
                  "a repeated index must get the sum of all its upstream rows (not the last one only, nor "
                  "their mean), rows never looked up 0", check_dtype=False)


@check
def embedding_weight_grad_index_types(p, embedding_weight_grad):
    """embedding_weight_grad takes int32/int64 tensors, empty indices, and never modifies its inputs."""
    upstream = seeded_randn(3, 2, seed=52)
    for indices in (torch.tensor([3, 1, 3]), torch.tensor([3, 1, 3], dtype=torch.int32)):
        out = p.call(embedding_weight_grad, indices, upstream, 5,
                     what=f"embedding_weight_grad(an {dtype_name(indices.dtype)} tensor [3, 1, 3], upstream, 5)")
        p.expect(out, f"embedding_weight_grad with {dtype_name(indices.dtype)} tensor indices [3, 1, 3] returned "
                      "{got} with wrong values: index 3 is looked up twice, so row 3 is the sum of upstream rows "
                      "0 and 2, row 1 is upstream row 1, the other rows 0 (whatever the type of the indices)",
                 check_dtype=False)
        p.expect(indices, "embedding_weight_grad modified the indices it was given; inputs must never be modified")
        p.expect(upstream, "embedding_weight_grad modified upstream; inputs must never be modified")
    for indices in ([], torch.tensor([], dtype=torch.int32)):
        out = p.call(embedding_weight_grad, indices, torch.zeros(0, 2), 4,
                     what="embedding_weight_grad(no indices, upstream of shape (0, 2), 4)")
        p.expect(out, "embedding_weight_grad with no indices returned {got}; it must be zeros of shape (4, 2)",
                 check_dtype=False)


@check
def embedding_weight_grad_dtype(p, embedding_weight_grad):
    """embedding_weight_grad returns float32 for a float32 upstream."""
    for indices in ([0, 2], torch.tensor([0, 2], dtype=torch.int32)):
        out = p.call(embedding_weight_grad, indices, seeded_randn(2, 3, seed=53), 3,
                     what="embedding_weight_grad(indices, a float32 upstream of shape (2, 3), 3)")
        p.expect(dtype_of(out), "embedding_weight_grad returned {got} for a float32 upstream; "
                                "the instructions ask for float32")


# --- quizzes -------------------------------------------------------------------------

@check
def quiz_linear_weight_shape_answer(p, quiz_linear_weight_shape):
    """Quiz: the weight shape of the Linear equivalent to nn.Embedding(5, 3)."""
    quiz_steps(p, quiz_linear_weight_shape, "the section on nn.Linear's weight")


@check
def quiz_bias_free_answer(p, quiz_bias_free):
    """Quiz: why the equivalent Linear has no bias."""
    quiz_steps(p, quiz_bias_free, "the section on the bias")


@check
def quiz_unused_rows_grad_answer(p, quiz_unused_rows_grad):
    """Quiz: the gradient rows of tokens that are not in the batch."""
    quiz_steps(p, quiz_unused_rows_grad, "the section on the gradient of a lookup")


@check
def quiz_repeated_token_grad_answer(p, quiz_repeated_token_grad):
    """Quiz: the gradient row of a token that appears several times."""
    quiz_steps(p, quiz_repeated_token_grad, "the section on the gradient of a lookup")
