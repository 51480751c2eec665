"""lookup variants (a1_lookup)."""
import torch
import torch.nn.functional as F

EXPECTED_FAILURES = {
    "wrong_detached": {"lookup_gradient"},
    "wrong_rebuilt_from_values": {"lookup_dtype_and_empty", "lookup_gradient"},
    "wrong_always_float32": {"lookup_dtype_and_empty"},
    "wrong_unique_rows": {"lookup_index_types", "lookup_gradient"},
    "wrong_columns": {"lookup_basic", "lookup_index_types", "lookup_dtype_and_empty", "lookup_gradient"},
}
# The exact feedback of every wrong variant: each message true of that mistake (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    "wrong_detached": {
        "lookup_gradient": (
            "lookup's result is cut off from weight (it does not require grad): avoid .detach(), .data, "
            ".numpy() and building a new tensor from values"
        ),
    },
    "wrong_rebuilt_from_values": {
        "lookup_dtype_and_empty": (
            "lookup on a float64 weight returned float32; the result must have the weight's dtype"
        ),
        "lookup_gradient": (
            "lookup's result is cut off from weight (it does not require grad): avoid .detach(), .data, "
            ".numpy() and building a new tensor from values"
        ),
    },
    "wrong_always_float32": {
        "lookup_dtype_and_empty": (
            "lookup on a float64 weight returned float32; the result must have the weight's dtype"
        ),
    },
    "wrong_unique_rows": {
        "lookup_index_types": (
            "lookup(W, [5, 0, 5, 2]) returned each distinct row once, in sorted order (as torch.unique "
            "gives): give one row per index, repeats included, in the order of the indices"
        ),
        "lookup_gradient": (
            "lookup(weight, [1, 4, 1, 0]) returned each distinct row once, in sorted order (as "
            "torch.unique gives): give one row per index, repeats included, in the order of the indices"
        ),
    },
    "wrong_columns": {
        "lookup_basic": (
            "lookup(W, [1]) returned columns of W, one per index: an index picks a row, W[indices], not "
            "W[:, indices]"
        ),
        "lookup_index_types": (
            "lookup(a float32 tensor of shape (6, 4), [5, 0, 5, 2]) raised IndexError: index 5 is out of "
            "bounds for dimension 0 with size 4 -- every index here is a row of the weight (V, d): pick "
            "rows, weight[indices], not columns"
        ),
        "lookup_dtype_and_empty": (
            "lookup with empty indices on a (5, 3) weight gave shape (5, 0), one column per index: an "
            "index picks a row, W[indices], not W[:, indices]"
        ),
        "lookup_gradient": (
            "lookup(weight, [1, 4, 1, 0]) with weight.requires_grad=True raised IndexError: index 4 is out "
            "of bounds for dimension 0 with size 3 -- every index here is a row of the weight (V, d): pick "
            "rows, weight[indices], not columns"
        ),
    },
}


def correct_index_select(weight, indices):
    return weight.index_select(0, torch.as_tensor(indices, dtype=torch.long))


def correct_stack_rows(weight, indices):
    rows = [weight[int(i)] for i in indices]
    if not rows:
        return weight[:0]
    return torch.stack(rows)


def correct_functional(weight, indices):
    return F.embedding(torch.as_tensor(indices).long(), weight)


def correct_gather(weight, indices):
    idx = torch.as_tensor(indices, dtype=torch.int64)
    return weight.gather(0, idx.unsqueeze(1).expand(-1, weight.shape[1]))


def wrong_detached(weight, indices):
    """Detaches the weight first, which cuts the result off from autograd."""
    return weight.detach()[torch.as_tensor(indices, dtype=torch.long)]


def wrong_rebuilt_from_values(weight, indices):
    """Copies the values into a new tensor (torch.tensor(...tolist())): graph, dtype and empty shape are lost."""
    return torch.tensor(weight[torch.as_tensor(indices, dtype=torch.long)].tolist())


def wrong_always_float32(weight, indices):
    """Casts the result to float32, so a float64 weight gives float32 rows."""
    return weight[torch.as_tensor(indices, dtype=torch.long)].float()


def wrong_unique_rows(weight, indices):
    """Looks each distinct token up once (torch.unique), dropping repeats and reordering."""
    return weight[torch.unique(torch.as_tensor(indices, dtype=torch.long))]


def wrong_columns(weight, indices):
    """Takes columns instead of rows, as if W were (d, V) like a Linear layer's weight."""
    return weight[:, torch.as_tensor(indices, dtype=torch.long)]
