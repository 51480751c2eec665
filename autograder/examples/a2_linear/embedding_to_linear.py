"""embedding_to_linear variants (a2_linear)."""
import torch
from torch import nn

EXPECTED_FAILURES = {
    "wrong_shared_view": {"embedding_to_linear_independent"},
    "wrong_data_alias": {"embedding_to_linear_independent"},
    "wrong_keeps_bias": {"embedding_to_linear_basic", "embedding_to_linear_matches_embedding"},
    "wrong_always_float32": {"embedding_to_linear_dtype"},
    "wrong_no_transpose": {"embedding_to_linear_basic", "embedding_to_linear_matches_embedding",
                           "embedding_to_linear_dtype"},
    "wrong_swapped_features": {"embedding_to_linear_basic", "embedding_to_linear_matches_embedding",
                               "embedding_to_linear_dtype"},
}


def correct_copy_into_data(embedding):
    vocab_size, dim = embedding.num_embeddings, embedding.embedding_dim
    linear = nn.Linear(vocab_size, dim, bias=False).to(embedding.weight.dtype)
    linear.weight.data.copy_(embedding.weight.data.T)
    return linear


def correct_parameter_clone(embedding):
    weight = embedding.weight.detach().T.clone()
    linear = nn.Linear(weight.shape[1], weight.shape[0], bias=False, dtype=weight.dtype)
    linear.weight = nn.Parameter(weight)
    return linear


def correct_contiguous(embedding):
    linear = nn.Linear(*embedding.weight.shape, bias=False, dtype=embedding.weight.dtype)
    # .t() is a non-contiguous view of a (V, d) matrix, so .contiguous() makes a copy.
    linear.weight = nn.Parameter(embedding.weight.detach().t().contiguous())
    return linear


def correct_load_state_dict(embedding):
    linear = nn.Linear(embedding.num_embeddings, embedding.embedding_dim, bias=False,
                       dtype=embedding.weight.dtype)
    linear.load_state_dict({"weight": embedding.weight.T})  # load_state_dict copies the values
    return linear


def wrong_shared_view(embedding):
    """Wraps embedding.weight.T in a Parameter: .T is a view, so both layers share one storage."""
    linear = nn.Linear(embedding.num_embeddings, embedding.embedding_dim, bias=False,
                       dtype=embedding.weight.dtype)
    linear.weight = nn.Parameter(embedding.weight.T)
    return linear


def wrong_data_alias(embedding):
    """Assigns .data: the Linear's weight becomes a view of the embedding's memory, not a copy."""
    linear = nn.Linear(embedding.num_embeddings, embedding.embedding_dim, bias=False,
                       dtype=embedding.weight.dtype)
    linear.weight.data = embedding.weight.data.T
    return linear


def wrong_keeps_bias(embedding):
    """Leaves nn.Linear's default bias=True, so a (random) bias is added to every row."""
    linear = nn.Linear(embedding.num_embeddings, embedding.embedding_dim, dtype=embedding.weight.dtype)
    with torch.no_grad():
        linear.weight.copy_(embedding.weight.T)
    return linear


def wrong_always_float32(embedding):
    """Creates a float32 Linear; copy_ then silently casts a float64 weight to float32."""
    linear = nn.Linear(embedding.num_embeddings, embedding.embedding_dim, bias=False)
    with torch.no_grad():
        linear.weight.copy_(embedding.weight.T)
    return linear


def wrong_no_transpose(embedding):
    """Forgets the transpose: nn.Linear stores its weight as (out, in) = (d, V), not (V, d)."""
    linear = nn.Linear(embedding.num_embeddings, embedding.embedding_dim, bias=False,
                       dtype=embedding.weight.dtype)
    linear.weight = nn.Parameter(embedding.weight.detach().clone())
    return linear


def wrong_swapped_features(embedding):
    """Swaps in and out: nn.Linear(d, V), so the weight fits embedding.weight without a transpose."""
    linear = nn.Linear(embedding.embedding_dim, embedding.num_embeddings, bias=False,
                       dtype=embedding.weight.dtype)
    with torch.no_grad():
        linear.weight.copy_(embedding.weight)
    return linear
