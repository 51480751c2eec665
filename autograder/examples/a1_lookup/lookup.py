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
