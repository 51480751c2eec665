"""lookup_via_one_hot variants (a1_lookup). They may call the notebook's ``one_hot``."""
import torch
import torch.nn.functional as F

EXPECTED_FAILURES = {
    "wrong_no_cast": {"lookup_via_one_hot_dtype"},
    "wrong_transposed": {"lookup_via_one_hot_basic", "lookup_via_one_hot_index_types",
                         "lookup_via_one_hot_gradient"},
    "wrong_detached": {"lookup_via_one_hot_gradient"},
    "wrong_vocab_size_from_indices": {"lookup_via_one_hot_basic", "lookup_via_one_hot_index_types"},
    "wrong_dim_as_vocab_size": {"lookup_via_one_hot_basic"},
    "wrong_rebuilt_from_values": {"lookup_via_one_hot_index_types", "lookup_via_one_hot_gradient"},
    "wrong_reshapes_indices_in_place": {"lookup_via_one_hot_index_types"},
    "wrong_computes_in_float32": {"lookup_via_one_hot_dtype"},
}
# The exact feedback of every wrong variant: each message true of that mistake (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    "wrong_no_cast": {
        "lookup_via_one_hot_dtype": (
            "lookup_via_one_hot(a float64 weight of shape (4, 4), [0, 3]) raised RuntimeError: expected m1 "
            "and m2 to have the same dtype, but got: float != double -- it works on a float32 weight, not "
            "on a float64 one: one_hot gives float32 rows and @ needs both sides of one dtype, so cast the "
            "one-hot matrix with .to(weight.dtype) first"
        ),
    },
    "wrong_transposed": {
        "lookup_via_one_hot_basic": (
            "lookup_via_one_hot(W, [1, 4]) returned W.T @ one_hot(...).T, one column per index: put the "
            "one-hot matrix first, one_hot(indices, V) @ W, for one row per index"
        ),
        "lookup_via_one_hot_index_types": (
            "lookup_via_one_hot(W, [5, 0, 5]) returned W.T @ one_hot(...).T, one column per index: put the "
            "one-hot matrix first, one_hot(indices, V) @ W, for one row per index"
        ),
        "lookup_via_one_hot_gradient": (
            "lookup_via_one_hot(weight, [1, 4, 1, 0]) returned W.T @ one_hot(...).T, one column per index: "
            "put the one-hot matrix first, one_hot(indices, V) @ W, for one row per index"
        ),
    },
    "wrong_detached": {
        "lookup_via_one_hot_gradient": (
            "lookup_via_one_hot's result is cut off from weight (it does not require grad): avoid "
            ".detach(), .data, .numpy() and building a new tensor from values"
        ),
    },
    "wrong_vocab_size_from_indices": {
        "lookup_via_one_hot_basic": (
            "lookup_via_one_hot(a float32 tensor of shape (5, 3), [2, 0]) raised RuntimeError: mat1 and "
            "mat2 shapes cannot be multiplied (2x3 and 5x3) -- the product is an (n, V) one-hot matrix "
            "times the (V, d) weight: V is weight.shape[0] (every index here is below it), whatever the "
            "indices, and the one-hot matrix comes first"
        ),
        "lookup_via_one_hot_index_types": (
            "lookup_via_one_hot(a float32 tensor of shape (6, 6), []) raised RuntimeError: max(): Expected "
            "reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the "
            "'dim' argument. -- the indices are empty here, so they have no max or min: V is "
            "weight.shape[0], and the result has shape (0, d)"
        ),
    },
    "wrong_dim_as_vocab_size": {
        "lookup_via_one_hot_basic": (
            "lookup_via_one_hot(a float32 tensor of shape (5, 3), [1, 4]) raised ValueError inside your "
            "one_hot, which lookup_via_one_hot calls: every index must be in 0..2 -- if one_hot's own test "
            "cells fail too, fix one_hot first; if they pass, look at what lookup_via_one_hot gives it (the "
            "product is an (n, V) one-hot matrix times the (V, d) weight: V is weight.shape[0] (every index "
            "here is below it), whatever the indices, and the one-hot matrix comes first)"
        ),
    },
    "wrong_rebuilt_from_values": {
        "lookup_via_one_hot_index_types": (
            "lookup_via_one_hot with empty indices on a (6, 6) weight should have shape (0, 6), not '(0,)'"
        ),
        "lookup_via_one_hot_gradient": (
            "lookup_via_one_hot's result is cut off from weight (it does not require grad): avoid "
            ".detach(), .data, .numpy() and building a new tensor from values"
        ),
    },
    "wrong_reshapes_indices_in_place": {
        "lookup_via_one_hot_index_types": (
            "lookup_via_one_hot modified the indices it was given; inputs must never be modified"
        ),
    },
    "wrong_computes_in_float32": {
        "lookup_via_one_hot_dtype": (
            "lookup_via_one_hot on a float64 weight gave float64 values rounded to float32: the weight or "
            "the product went through float32 on the way; cast the one-hot matrix to weight.dtype instead"
        ),
    },
}


def correct_uses_one_hot(weight, indices):
    return one_hot(indices, weight.shape[0]).to(weight.dtype) @ weight  # noqa: F821 (the notebook's one_hot)


def correct_eye(weight, indices):
    identity = torch.eye(weight.shape[0], dtype=weight.dtype)
    return identity[torch.as_tensor(indices, dtype=torch.long)] @ weight


def correct_functional(weight, indices):
    idx = torch.as_tensor(indices, dtype=torch.long)
    return torch.matmul(F.one_hot(idx, weight.shape[0]).to(weight.dtype), weight)


def correct_einsum(weight, indices):
    rows = one_hot(indices, len(weight)).type_as(weight)  # noqa: F821
    return torch.einsum("nv,vd->nd", rows, weight)


def wrong_no_cast(weight, indices):
    """Multiplies the float32 one-hot matrix by the weight as is: a float64 weight makes matmul fail."""
    return one_hot(indices, weight.shape[0]) @ weight  # noqa: F821


def wrong_transposed(weight, indices):
    """Multiplies in the wrong order (W.T @ one_hot.T), giving shape (d, n) instead of (n, d)."""
    return weight.T @ one_hot(indices, weight.shape[0]).to(weight.dtype).T  # noqa: F821


def wrong_detached(weight, indices):
    """Detaches the product, so no gradient reaches the weight."""
    return (one_hot(indices, weight.shape[0]).to(weight.dtype) @ weight).detach()  # noqa: F821


def wrong_vocab_size_from_indices(weight, indices):
    """Takes the vocabulary size from the largest index seen instead of from the weight's rows."""
    idx = torch.as_tensor(indices, dtype=torch.long)
    return one_hot(idx, int(idx.max()) + 1).to(weight.dtype) @ weight  # noqa: F821


def wrong_dim_as_vocab_size(weight, indices):
    """Confuses V and d: builds the one-hot over weight.shape[1] (the embedding size)."""
    return one_hot(indices, weight.shape[1]).to(weight.dtype) @ weight  # noqa: F821


def wrong_rebuilt_from_values(weight, indices):
    """Rebuilds the result from its values (torch.tensor(...tolist())): no graph, and an empty result loses its shape."""
    product = one_hot(indices, weight.shape[0]).to(weight.dtype) @ weight  # noqa: F821
    return torch.tensor(product.tolist(), dtype=weight.dtype)


def wrong_reshapes_indices_in_place(weight, indices):
    """Builds the one-hot rows with scatter_, turning the caller's int64 index tensor into a column in place."""
    idx = torch.as_tensor(indices).long()  # the caller's own tensor when it is already int64
    rows = torch.zeros(len(idx), weight.shape[0], dtype=weight.dtype)
    rows.scatter_(1, idx.unsqueeze_(1), 1.0)
    return rows @ weight


def wrong_computes_in_float32(weight, indices):
    """Makes the product work by casting the weight to float32, then casts the result back to weight.dtype:
    the dtype is right but float64 values are rounded to float32."""
    return (one_hot(indices, weight.shape[0]) @ weight.float()).to(weight.dtype)  # noqa: F821
