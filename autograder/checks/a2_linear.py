"""Hidden-test logic for a2_linear: an embedding is a bias-free linear layer.

One check per notebook test cell (the check's name is the cell's grade_id), each
covering one rule the notebook states. The student's modules are only driven when
they are exactly ``nn.Linear`` / ``nn.Embedding``; anything else is recorded as it
is and fails with a message that says what was returned.

Where a known mistake fails a cell, a diagnosis step before the rule's general step
names it (the weight kept untransposed, in and out swapped, a bias, a repeated index
overwritten or averaged, ...). A cell judges its own rule: the dtype cells accept the
weight in either layout (the layout is the _basic cells' rule), the repeated-index cell
accepts the gradient transposed (its shape is _basic's rule), and the index-type cell
compares tensor indices with the student's own result for a list.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from autograder.checks import check
from autograder.checks._judge import same
from autograder.checks._observe import observe
from autograder.checks._student_values import (
    dtype_of, largest_change, matches, quiz_steps, same_plain, seeded_randn, shape_of, snapshot, tensor_or_none,
)
from autograder.checks._tensors import dtype_name, is_tensor


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


# --- embedding_to_linear -------------------------------------------------------------

@check
def embedding_to_linear_basic(p, embedding_to_linear):
    """embedding_to_linear: Linear(V, d, bias=False) whose weight is embedding.weight.T."""
    embedding = _embedding(5, 3, seed=31)
    table = snapshot(embedding.weight)
    linear = p.call(embedding_to_linear, embedding, what="embedding_to_linear(nn.Embedding(5, 3))")
    _TO_LINEAR.class_step(p, linear)
    sizes = (_attr(linear, nn.Linear, "in_features"), _attr(linear, nn.Linear, "out_features"))
    p.expect(same_plain(sizes, (3, 5)),
             "embedding_to_linear(nn.Embedding(5, 3)) returned nn.Linear(3, 5): in and out are swapped; a one-hot "
             "row of length num_embeddings (5) goes in and embedding_dim (3) numbers come out, so it must be "
             "nn.Linear(5, 3, bias=False)")
    p.expect(sizes[0], "the Linear's in_features is {got}; it must be num_embeddings (5)")
    p.expect(sizes[1], "the Linear's out_features is {got}; it must be embedding_dim (3)")
    p.expect(_has_no_bias(linear, nn.Linear), "the Linear has a bias, which linear(x) adds to every output row; "
                                              "an embedding adds nothing: create it with bias=False")
    weight = _weight(linear, nn.Linear)
    p.expect(matches(weight, table),
             "the Linear's weight is embedding.weight untransposed, shape (5, 3): nn.Linear keeps its weight as "
             "(out_features, in_features) = (3, 5), so it must be embedding.weight.T")
    p.expect(weight, "the Linear's weight ({got}) is not equal to embedding.weight.T", check_dtype=False)


@check
def embedding_to_linear_matches_embedding(p, embedding_to_linear):
    """linear(one_hot(idx, V)) equals embedding(idx) for several index lists."""
    embedding = _embedding(6, 4, seed=32)
    table = snapshot(embedding.weight)
    linear = p.call(embedding_to_linear, embedding, what="embedding_to_linear(nn.Embedding(6, 4))")
    _TO_LINEAR.class_step(p, linear)
    weight = _weight(linear, nn.Linear)
    p.expect(matches(weight, table),
             "the Linear from embedding_to_linear(nn.Embedding(6, 4)) holds embedding.weight untransposed, shape "
             "(6, 4): nn.Linear keeps its weight as (out_features, in_features) and computes x @ weight.T, so for "
             "linear(one_hot(idx, 6)) to give embedding(idx) the weight must be embedding.weight.T, shape (4, 6)")
    p.expect(shape_of(weight), "the Linear from embedding_to_linear(nn.Embedding(6, 4)) has a weight of shape {got}: "
                               "to take one_hot(idx, 6) and give 4 numbers per index it must be (out_features, "
                               "in_features) = (4, 6)")
    bias = snapshot(_attr(linear, nn.Linear, "bias"))
    bias = bias if bias is not None and tuple(bias.shape) == (4,) else None
    for indices in ([2], [0, 5, 5, 1], []):
        rows = table[torch.tensor(indices, dtype=torch.int64)]
        out = p.call(_forward, linear, nn.Linear, _one_hot(indices, 6),
                     what=f"linear(one_hot({indices}, 6)) with the Linear from embedding_to_linear")
        p.expect(bias is not None and matches(out, rows + bias),
                 f"linear(one_hot({indices}, 6)) gave embedding(torch.tensor({indices})) plus the Linear's bias: an "
                 "embedding adds nothing to the rows it looks up, so create the Linear with bias=False")
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
    given = snapshot(linear.weight)
    embedding = p.call(linear_to_embedding, linear, what="linear_to_embedding(nn.Linear(5, 3, bias=False))")
    _TO_EMBEDDING.class_step(p, embedding)
    weight = _weight(embedding, nn.Embedding)
    p.expect(matches(weight, given),
             "the Embedding's weight is linear.weight untransposed, shape (3, 5): nn.Linear keeps its weight as "
             "(out_features, in_features), and an embedding table has one row per input, (in_features, "
             "out_features) = (5, 3), so it must be linear.weight.T")
    p.expect(_attr(embedding, nn.Embedding, "num_embeddings"),
             "the Embedding's num_embeddings is {got}; it must be the Linear's in_features (5)")
    p.expect(_attr(embedding, nn.Embedding, "embedding_dim"),
             "the Embedding's embedding_dim is {got}; it must be the Linear's out_features (3)")
    p.expect(weight, "the Embedding's weight ({got}) is not equal to linear.weight.T", check_dtype=False)


@check
def linear_to_embedding_matches_linear(p, linear_to_embedding):
    """embedding(idx) equals linear(one_hot(idx, V)) for several index lists."""
    linear = _linear(6, 4, seed=42)
    given = snapshot(linear.weight)
    embedding = p.call(linear_to_embedding, linear, what="linear_to_embedding(nn.Linear(6, 4, bias=False))")
    _TO_EMBEDDING.class_step(p, embedding)
    p.expect(matches(_weight(embedding, nn.Embedding), given),
             "the Embedding from linear_to_embedding(nn.Linear(6, 4, bias=False)) holds linear.weight untransposed, "
             "shape (4, 6): an embedding table has one row per input of the Linear, so for embedding(idx) to give "
             "linear(one_hot(idx, 6)) it must be linear.weight.T, shape (6, 4)")
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
    # Recorded after the layer is looked at: removing the bias is named before "raised no exception".
    raised = p.raises_later(ValueError, linear_to_embedding, linear,
                            message="linear_to_embedding(nn.Linear(5, 3) with a bias) should raise ValueError "
                                    "(a layer with a bias is not an embedding), but raised {got}")
    p.expect(tensor_or_none(linear.bias), "linear_to_embedding(nn.Linear(5, 3) with a bias) removed or changed that "
                                          "layer's bias: never modify the layer it is given; a Linear with a bias "
                                          "only raises ValueError")
    p.expect(linear.weight, "linear_to_embedding(nn.Linear(5, 3) with a bias) changed that layer's weight: never "
                            "modify the layer it is given")
    raised()


@check
def linear_to_embedding_independent(p, linear_to_embedding):
    """The Embedding is an independent copy: changing either weight in place leaves the other alone."""
    _independent_steps(p, linear_to_embedding, _TO_EMBEDDING, seed=45)


# --- embedding_weight_grad -----------------------------------------------------------

def _grad_of_lookup(indices: list[int], upstream: torch.Tensor, vocab_size: int) -> torch.Tensor:
    """The right answer, computed by the grader (for the diagnoses' wrong answers to differ from)."""
    grad = torch.zeros(vocab_size, upstream.shape[1], dtype=torch.float64)
    return grad.index_add_(0, torch.tensor(indices, dtype=torch.int64), upstream.to(torch.float64))


def _rows_first(out, transposed_shape: str):
    """``out`` as (vocab_size, d): a private transposed copy when it is exactly a tensor of the
    (d, vocab_size) shape (that layout is embedding_weight_grad_basic's rule), else ``out`` as is."""
    copy = snapshot(out)
    return copy.T if copy is not None and shape_of(copy) == transposed_shape else out


@check
def embedding_weight_grad_basic(p, embedding_weight_grad):
    """embedding_weight_grad: the looked-up rows get their upstream rows, the others 0."""
    out = p.call(embedding_weight_grad, [1, 3], torch.ones(2, 3), 5)
    call = "embedding_weight_grad([1, 3], torch.ones(2, 3), 5)"
    p.expect(shape_of(tensor_or_none(out)) == "(3, 5)",
             f"{call} returned shape (3, 5) = (d, vocab_size), the layout of nn.Linear's weight: the gradient "
             "of W has W's shape, (vocab_size, d) = (5, 3)")
    p.expect(shape_of(out), f"{call} should have shape (5, 3) (vocab_size, d), not {{got}}")
    p.expect(matches(out, torch.full((5, 3), 2.0)),
             f"{call} gave every row the sum of all upstream rows (2.0 everywhere): only rows 1 and 3 were looked "
             "up, so only they get a gradient (their upstream rows, ones); every other row stays 0")
    p.expect(out, f"{call} is wrong: rows 1 and 3 must be ones and every other row zeros", check_dtype=False)


@check
def embedding_weight_grad_repeated(p, embedding_weight_grad):
    """A repeated index accumulates (sums) its upstream rows."""
    indices, vocab_size = [2, 0, 2, 2, 4], 6
    upstream = seeded_randn(5, 3, seed=51)
    right = _grad_of_lookup(indices, upstream, vocab_size)
    last, first = torch.zeros_like(right), torch.zeros_like(right)
    for k, i in enumerate(indices):
        last[i] = upstream[k]
        first[indices[-1 - k]] = upstream[len(indices) - 1 - k]
    counts = _grad_of_lookup(indices, torch.ones_like(upstream), vocab_size)
    mean = right / counts.clamp(min=1)
    every_row = upstream.to(torch.float64).sum(dim=0).expand(vocab_size, 3)
    call = "embedding_weight_grad([2, 0, 2, 2, 4], upstream of shape (5, 3), 6)"
    out = _rows_first(p.call(embedding_weight_grad, indices, upstream.clone(), vocab_size, what=call), "(3, 6)")
    p.expect(matches(out, last) or matches(out, first),
             f"{call} put only one of index 2's three upstream rows in row 2 (an assignment such as grad[indices] = "
             "upstream keeps one per index): a repeated index gets the sum of all its upstream rows, so add them "
             "up (index_add_, or += one position at a time)")
    p.expect(matches(out, mean),
             f"{call} gave row 2 the mean of index 2's three upstream rows: each lookup adds its own contribution, "
             "so a repeated index gets their sum, not their mean")
    p.expect(matches(out, counts),
             f"{call} gave each row the number of times its index appears: a row's gradient is the sum of the "
             "upstream rows at the positions where it was looked up, so the values of upstream matter, not only "
             "the count")
    p.expect(matches(out, every_row),
             f"{call} gave every row the sum of all upstream rows: only the rows looked up get a gradient (row 2 "
             "the sum of its own three upstream rows), and rows never looked up stay 0")
    p.expect(out, f"{call} is not the gradient: index 2 appears three times, so row 2 is the sum of its three "
                  "upstream rows; rows 0 and 4 get their own upstream rows and every other row stays 0",
             check_dtype=False)


def _same_result(out, seen: dict) -> bool:
    """Whether ``out`` is what the student's function gave for the list (``seen``, an observation).

    True when that was not even a tensor: an earlier step says so.
    """
    return seen.get("type") != "tensor" or same(observe(out), seen)


def _zeros_like(out, seen: dict) -> bool:
    """Whether ``out`` is all zeros of the shape and dtype of ``seen`` (True when that was no tensor)."""
    if seen.get("type") != "tensor" or "values" not in seen:
        return True
    dtype = getattr(torch, seen["dtype"], None)
    try:
        zeros = torch.zeros(seen["shape"], dtype=dtype) if isinstance(dtype, torch.dtype) else None
    except (RuntimeError, TypeError):  # a dtype torch.zeros cannot make: no zeros to compare with
        zeros = None
    return zeros is not None and same(observe(out), observe(zeros))


@check
def embedding_weight_grad_index_types(p, embedding_weight_grad):
    """embedding_weight_grad takes int32/int64 tensors like a list, empty indices, and never modifies its inputs.

    The indices are not repeated (summing a repeated index is embedding_weight_grad_repeated's
    rule), and a tensor's result is compared with the function's own result for the list
    (the values are embedding_weight_grad_basic's and _repeated's rule).
    """
    upstream = seeded_randn(2, 3, seed=52)
    unchanged = "embedding_weight_grad modified upstream; inputs must never be modified"
    as_list = p.call(embedding_weight_grad, [3, 1], upstream, 5,
                     what="embedding_weight_grad([3, 1], upstream of shape (2, 3), 5)")
    seen = observe(as_list)
    # Without a tensor for the list there is nothing to compare the tensors' results with.
    p.expect("a tensor" if is_tensor(as_list) else as_list,
             "embedding_weight_grad([3, 1], upstream of shape (2, 3), 5) returned {got}, not a tensor: the gradient "
             "is a torch.Tensor of shape (vocab_size, d)")
    p.expect(upstream, unchanged)
    indices: list | torch.Tensor
    for dtype in (torch.int64, torch.int32):
        indices = torch.tensor([3, 1], dtype=dtype)
        kind = f"an {dtype_name(dtype)} tensor [3, 1]"
        out = p.call(embedding_weight_grad, indices, upstream, 5,
                     what=f"embedding_weight_grad({kind}, upstream of shape (2, 3), 5)",
                     hint=f"indices may be an {dtype_name(dtype)} tensor: convert them with "
                          "torch.as_tensor(indices, dtype=torch.long) before using them",
                     hint_when=("long", dtype_name(dtype)))
        p.expect(_same_result(out, seen),
                 f"embedding_weight_grad gave a different result for {kind} than for the list [3, 1]: indices may "
                 "be a list or an int64 or int32 tensor, and all three give the same gradient "
                 "(torch.as_tensor(indices, dtype=torch.long) converts each of them)")
        p.expect(indices, "embedding_weight_grad modified the indices it was given; inputs must never be modified")
        p.expect(upstream, unchanged)
    for indices, kind, hint, hint_when in (
            ([], "[]", "torch.as_tensor([]) and torch.tensor([]) are float32 tensors, which cannot index: convert "
                       "with torch.as_tensor(indices, dtype=torch.long)", ("float", "long")),
            (torch.tensor([], dtype=torch.int32), "an empty int32 tensor",
             "indices may be an int32 tensor: convert them with torch.as_tensor(indices, dtype=torch.long)",
             ("long", "int32"))):
        call = f"embedding_weight_grad({kind}, upstream of shape (0, 3), 5)"
        out = p.call(embedding_weight_grad, indices, torch.zeros(0, 3), 5, what=call,
                     hint=hint, hint_when=hint_when)
        p.expect(_zeros_like(out, seen),
                 f"{call} is not all zeros of the shape and dtype it gives for [3, 1]: with no indices nothing is "
                 "looked up, so every row of the gradient is 0")


@check
def embedding_weight_grad_dtype(p, embedding_weight_grad):
    """embedding_weight_grad returns float32 for a float32 upstream."""
    for indices, kind in (([0, 2], "[0, 2]"), (torch.tensor([0, 2]), "an int64 tensor [0, 2]")):
        out = p.call(embedding_weight_grad, indices, seeded_randn(2, 3, seed=53), 3,
                     what=f"embedding_weight_grad({kind}, a float32 upstream of shape (2, 3), 3)")
        p.expect(dtype_of(out), "embedding_weight_grad returned {got} for a float32 upstream: the gradient has "
                                "upstream's dtype, float32 (create it with dtype=upstream.dtype; NumPy arrays are "
                                "float64 by default)")


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
