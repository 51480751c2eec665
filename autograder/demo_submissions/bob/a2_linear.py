"""Bob's a2_linear: the idea is right, the memory and the gradient are not.

- embedding_to_linear assigns ``.data``: the Linear's weight is a view of the
  embedding's memory, so changing one layer in place changes the other;
- linear_to_embedding is right;
- embedding_weight_grad assigns the upstream rows (``grad[idx] = upstream``), so a
  token looked up twice keeps only its last row instead of the sum;
- one quiz answer confuses nn.Linear's weight layout.
"""
import torch
from torch import nn


def embedding_to_linear(embedding):
    linear = nn.Linear(embedding.num_embeddings, embedding.embedding_dim, bias=False,
                       dtype=embedding.weight.dtype)
    linear.weight.data = embedding.weight.data.T
    return linear


def linear_to_embedding(linear):
    if linear.bias is not None:
        raise ValueError("this Linear has a bias; an embedding has none")
    embedding = nn.Embedding(linear.in_features, linear.out_features, dtype=linear.weight.dtype)
    with torch.no_grad():
        embedding.weight.copy_(linear.weight.T)
    return embedding


def embedding_weight_grad(indices, upstream, vocab_size):
    grad = torch.zeros(vocab_size, upstream.shape[1], dtype=upstream.dtype)
    grad[torch.as_tensor(indices, dtype=torch.long)] = upstream
    return grad


quiz_linear_weight_shape = "a"
quiz_bias_free = "a"
quiz_unused_rows_grad = "c"
quiz_repeated_token_grad = "d"
