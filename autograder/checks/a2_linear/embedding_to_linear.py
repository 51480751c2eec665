"""The checks of embedding_to_linear: a bias-free nn.Linear with the transposed weight, the same
outputs as the embedding, dtype, and a copy independent of the original."""
from __future__ import annotations

import torch
from torch import nn

from autograder.checks.toolbox import check, matches, same_plain, shape_of, snapshot

from ._shared import (
    _TO_LINEAR, _attr, _dtype_steps, _embedding, _forward, _has_no_bias, _independent_steps, _one_hot, _weight,
)


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
