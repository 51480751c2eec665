"""Reference solutions for a2_linear (see the shared course-spec).

The hidden checks compare student code with these; the source notebook's solution
cells hold the same code. The quiz key lives here and nowhere in what students receive.
"""
from __future__ import annotations

import torch
from torch import nn


def embedding_to_linear(embedding: nn.Embedding) -> nn.Linear:
    num_embeddings, embedding_dim = embedding.weight.shape
    linear = nn.Linear(num_embeddings, embedding_dim, bias=False, dtype=embedding.weight.dtype)
    # copy_ writes into the new layer's own storage: the two modules stay independent.
    with torch.no_grad():
        linear.weight.copy_(embedding.weight.T)
    return linear


def linear_to_embedding(linear: nn.Linear) -> nn.Embedding:
    if linear.bias is not None:
        raise ValueError("only a bias-free nn.Linear (bias=False) is an embedding; this one has a bias")
    out_features, in_features = linear.weight.shape
    embedding = nn.Embedding(in_features, out_features, dtype=linear.weight.dtype)
    with torch.no_grad():
        embedding.weight.copy_(linear.weight.T)
    return embedding


def embedding_weight_grad(indices, upstream: torch.Tensor, vocab_size: int) -> torch.Tensor:
    idx = torch.as_tensor(indices, dtype=torch.int64).reshape(-1)
    grad = torch.zeros(vocab_size, upstream.shape[1], dtype=upstream.dtype)
    # index_add_ sums the upstream rows of an index that appears several times.
    return grad.index_add_(0, idx, upstream)


# Quiz key (letters as shown in the notebook).
quiz_linear_weight_shape = "b"   # nn.Linear(5, 3).weight is (out, in) = (3, 5)
quiz_bias_free = "a"             # a bias would be added to every token's row
quiz_unused_rows_grad = "c"      # rows of tokens not in the batch get exactly zero
quiz_repeated_token_grad = "d"   # a repeated token's row is the sum of its upstream rows
