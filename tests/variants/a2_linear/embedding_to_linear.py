"""embedding_to_linear variants (a2_linear)."""
import torch
from torch import nn

EXPECTED_FAILURES = {
    "wrong_shared_view": {"embedding_to_linear_independent"},
    "wrong_data_alias": {"embedding_to_linear_independent"},
    "wrong_keeps_bias": {"embedding_to_linear_basic", "embedding_to_linear_matches_embedding"},
    "wrong_always_float32": {"embedding_to_linear_dtype"},
    "wrong_no_transpose": {"embedding_to_linear_basic", "embedding_to_linear_matches_embedding"},
    "wrong_swapped_features": {"embedding_to_linear_basic", "embedding_to_linear_matches_embedding"},
}
# The exact feedback of a wrong variant, where the wording matters (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    "wrong_shared_view": {
        "embedding_to_linear_independent": "changing the Linear's weight in place also changed the embedding: "
                                           "the Linear must hold its own copy of the values (.T is a view that "
                                           "shares memory; copy it)",
    },
    "wrong_data_alias": {
        "embedding_to_linear_independent": "changing the Linear's weight in place also changed the embedding: "
                                           "the Linear must hold its own copy of the values (.T is a view that "
                                           "shares memory; copy it)",
    },
    "wrong_keeps_bias": {
        "embedding_to_linear_basic": "the Linear has a bias, which linear(x) adds to every output row; an "
                                     "embedding adds nothing: create it with bias=False",
        "embedding_to_linear_matches_embedding": "linear(one_hot([2], 6)) gave embedding(torch.tensor([2])) "
                                                 "plus the Linear's bias: an embedding adds nothing to the rows "
                                                 "it looks up, so create the Linear with bias=False",
    },
    "wrong_always_float32": {
        "embedding_to_linear_dtype": "for a float64 embedding the Linear's weight is float32; it must keep the "
                                     "embedding's dtype: create the Linear with dtype=embedding.weight.dtype",
    },
    "wrong_no_transpose": {
        "embedding_to_linear_basic": "the Linear's weight is embedding.weight untransposed, shape (5, 3): "
                                     "nn.Linear keeps its weight as (out_features, in_features) = (3, 5), so it "
                                     "must be embedding.weight.T",
        "embedding_to_linear_matches_embedding": "the Linear from embedding_to_linear(nn.Embedding(6, 4)) holds "
                                                 "embedding.weight untransposed, shape (6, 4): nn.Linear keeps "
                                                 "its weight as (out_features, in_features) and computes x @ "
                                                 "weight.T, so for linear(one_hot(idx, 6)) to give "
                                                 "embedding(idx) the weight must be embedding.weight.T, shape "
                                                 "(4, 6)",
    },
    "wrong_swapped_features": {
        "embedding_to_linear_basic": "embedding_to_linear(nn.Embedding(5, 3)) returned nn.Linear(3, 5): in and "
                                     "out are swapped; a one-hot row of length num_embeddings (5) goes in and "
                                     "embedding_dim (3) numbers come out, so it must be nn.Linear(5, 3, "
                                     "bias=False)",
        "embedding_to_linear_matches_embedding": "the Linear from embedding_to_linear(nn.Embedding(6, 4)) holds "
                                                 "embedding.weight untransposed, shape (6, 4): nn.Linear keeps "
                                                 "its weight as (out_features, in_features) and computes x @ "
                                                 "weight.T, so for linear(one_hot(idx, 6)) to give "
                                                 "embedding(idx) the weight must be embedding.weight.T, shape "
                                                 "(4, 6)",
    },
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
