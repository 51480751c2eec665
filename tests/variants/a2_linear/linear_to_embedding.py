"""linear_to_embedding variants (a2_linear)."""
import torch
from torch import nn

EXPECTED_FAILURES = {
    "wrong_ignores_bias": {"linear_to_embedding_bias_error"},
    "wrong_removes_bias": {"linear_to_embedding_bias_error"},
    "wrong_assert_for_bias": {"linear_to_embedding_bias_error"},
    "wrong_from_pretrained_view": {"linear_to_embedding_independent"},
    "wrong_always_float32": {"linear_to_embedding_dtype"},
    "wrong_no_transpose": {"linear_to_embedding_basic", "linear_to_embedding_matches_linear"},
}
# The exact feedback of a wrong variant, where the wording matters (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    "wrong_ignores_bias": {
        "linear_to_embedding_bias_error": "linear_to_embedding(nn.Linear(5, 3) with a bias) should raise "
                                          "ValueError (a layer with a bias is not an embedding), but raised no "
                                          "exception",
    },
    "wrong_removes_bias": {
        "linear_to_embedding_bias_error": "linear_to_embedding(nn.Linear(5, 3) with a bias) removed or changed "
                                          "that layer's bias: never modify the layer it is given; a Linear with "
                                          "a bias only raises ValueError",
    },
    "wrong_assert_for_bias": {
        "linear_to_embedding_bias_error": "linear_to_embedding(nn.Linear(5, 3) with a bias) should raise "
                                          "ValueError (a layer with a bias is not an embedding), but raised "
                                          "AssertionError (linear must not have a bias)",
    },
    "wrong_from_pretrained_view": {
        "linear_to_embedding_independent": "changing the Embedding's weight in place also changed the Linear: "
                                           "the Embedding must hold its own copy of the values (.T is a view "
                                           "that shares memory; copy it)",
    },
    "wrong_always_float32": {
        "linear_to_embedding_dtype": "for a float64 Linear the Embedding's weight is float32; it must keep the "
                                     "Linear's dtype: create the Embedding with dtype=linear.weight.dtype",
    },
    "wrong_no_transpose": {
        "linear_to_embedding_basic": "the Embedding's weight is linear.weight untransposed, shape (3, 5): "
                                     "nn.Linear keeps its weight as (out_features, in_features), and an "
                                     "embedding table has one row per input, (in_features, out_features) = (5, "
                                     "3), so it must be linear.weight.T",
        "linear_to_embedding_matches_linear": "the Embedding from linear_to_embedding(nn.Linear(6, 4, "
                                              "bias=False)) holds linear.weight untransposed, shape (4, 6): an "
                                              "embedding table has one row per input of the Linear, so for "
                                              "embedding(idx) to give linear(one_hot(idx, 6)) it must be "
                                              "linear.weight.T, shape (6, 4)",
    },
}


def correct_copy_into_data(linear):
    if linear.bias is not None:
        raise ValueError("a Linear with a bias is not an embedding")
    embedding = nn.Embedding(linear.in_features, linear.out_features).to(linear.weight.dtype)
    embedding.weight.data.copy_(linear.weight.data.T)
    return embedding


def correct_from_pretrained_clone(linear):
    if linear.bias is not None:
        raise ValueError("expected bias=False")
    return nn.Embedding.from_pretrained(linear.weight.detach().T.clone(), freeze=False)


def correct_parameter(linear):
    if linear.bias is not None:
        raise ValueError(f"{linear} has a bias")
    embedding = nn.Embedding(linear.in_features, linear.out_features, dtype=linear.weight.dtype)
    embedding.weight = nn.Parameter(linear.weight.detach().T.contiguous())
    return embedding


def correct_load_state_dict(linear):
    if linear.bias is not None:
        raise ValueError("only bias-free Linear layers can become embeddings")
    embedding = nn.Embedding(linear.in_features, linear.out_features, dtype=linear.weight.dtype)
    embedding.load_state_dict({"weight": linear.weight.T})
    return embedding


def wrong_ignores_bias(linear):
    """Converts a Linear with a bias anyway, silently dropping the bias."""
    embedding = nn.Embedding(linear.in_features, linear.out_features, dtype=linear.weight.dtype)
    with torch.no_grad():
        embedding.weight.copy_(linear.weight.T)
    return embedding


def wrong_removes_bias(linear):
    """"Fixes" the input by deleting its bias (modifies the caller's layer) instead of raising."""
    linear.bias = None
    embedding = nn.Embedding(linear.in_features, linear.out_features, dtype=linear.weight.dtype)
    with torch.no_grad():
        embedding.weight.copy_(linear.weight.T)
    return embedding


def wrong_assert_for_bias(linear):
    """Uses assert for input checking: AssertionError (and none at all under python -O), not ValueError."""
    assert linear.bias is None, "linear must not have a bias"
    embedding = nn.Embedding(linear.in_features, linear.out_features, dtype=linear.weight.dtype)
    with torch.no_grad():
        embedding.weight.copy_(linear.weight.T)
    return embedding


def wrong_from_pretrained_view(linear):
    """nn.Embedding.from_pretrained(linear.weight.T) keeps the view: the two layers share memory."""
    if linear.bias is not None:
        raise ValueError("a Linear with a bias is not an embedding")
    return nn.Embedding.from_pretrained(linear.weight.T, freeze=False)


def wrong_always_float32(linear):
    """Creates a float32 Embedding; copy_ then silently casts a float64 weight to float32."""
    if linear.bias is not None:
        raise ValueError("a Linear with a bias is not an embedding")
    embedding = nn.Embedding(linear.in_features, linear.out_features)
    with torch.no_grad():
        embedding.weight.copy_(linear.weight.T)
    return embedding


def wrong_no_transpose(linear):
    """Uses linear.weight as it is, (d, V), so the table has d rows of V numbers."""
    if linear.bias is not None:
        raise ValueError("a Linear with a bias is not an embedding")
    return nn.Embedding.from_pretrained(linear.weight.detach().clone(), freeze=False)
