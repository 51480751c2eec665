"""The checks of linear_to_embedding: an nn.Embedding with the transposed weight, the same outputs as
the layer, dtype, a layer with a bias refused, and a copy independent of the original."""
from __future__ import annotations

import torch
from torch import nn

from autograder.checks.toolbox import check, matches, snapshot, tensor_or_none

from ._shared import _TO_EMBEDDING, _attr, _dtype_steps, _forward, _independent_steps, _linear, _weight


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
