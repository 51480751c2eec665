"""embedding_weight_grad variants (a2_linear)."""
import numpy as np
import torch
import torch.nn.functional as F

EXPECTED_FAILURES = {
    "wrong_overwrite_repeated": {"embedding_weight_grad_repeated", "embedding_weight_grad_index_types"},
    "wrong_mean_of_repeated": {"embedding_weight_grad_repeated", "embedding_weight_grad_index_types"},
    "wrong_counts_only": {"embedding_weight_grad_repeated", "embedding_weight_grad_index_types"},
    "wrong_every_row": {"embedding_weight_grad_basic", "embedding_weight_grad_repeated",
                        "embedding_weight_grad_index_types"},
    "wrong_float64_numpy": {"embedding_weight_grad_dtype"},
    "wrong_linear_layout": {"embedding_weight_grad_basic", "embedding_weight_grad_repeated",
                            "embedding_weight_grad_index_types"},
    "wrong_empty_list_float": {"embedding_weight_grad_index_types"},
}
# The exact feedback of a wrong variant, where the wording matters (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    'wrong_overwrite_repeated': {
        'embedding_weight_grad_index_types': 'embedding_weight_grad with int64 tensor indices [3, 1, 3] returned a float32 tensor of shape (5, 2) with wrong values: index 3 is looked up twice, so row 3 is the sum of upstream rows 0 and 2, row 1 is upstream row 1, the other rows 0 (whatever the type of the indices)',
        'embedding_weight_grad_repeated': 'embedding_weight_grad with index 2 appearing three times returned a float32 tensor of shape (6, 3) with wrong values: a repeated index must get the sum of all its upstream rows (not the last one only, nor their mean), rows never looked up 0',
    },
}


def correct_index_add(indices, upstream, vocab_size):
    idx = torch.as_tensor(indices, dtype=torch.long)
    return torch.zeros(vocab_size, upstream.shape[1], dtype=upstream.dtype).index_add(0, idx, upstream)


def correct_autograd(indices, upstream, vocab_size):
    weight = torch.zeros(vocab_size, upstream.shape[1], dtype=upstream.dtype, requires_grad=True)
    (upstream * weight[torch.as_tensor(indices, dtype=torch.long)]).sum().backward()
    return weight.grad


def correct_loop(indices, upstream, vocab_size):
    grad = torch.zeros(vocab_size, upstream.shape[1], dtype=upstream.dtype)
    for k, i in enumerate(indices):
        grad[int(i)] += upstream[k]
    return grad


def correct_one_hot_transpose(indices, upstream, vocab_size):
    # d/dW of (upstream * (one_hot @ W)).sum() is one_hot.T @ upstream.
    rows = F.one_hot(torch.as_tensor(indices, dtype=torch.long), vocab_size).to(upstream.dtype)
    return rows.T @ upstream


def correct_numpy_add_at(indices, upstream, vocab_size):
    up = upstream.detach().numpy()
    grad = np.zeros((vocab_size, up.shape[1]), dtype=up.dtype)
    np.add.at(grad, np.asarray(indices, dtype=np.int64), up)
    return torch.from_numpy(grad)


def wrong_overwrite_repeated(indices, upstream, vocab_size):
    """Assigns the upstream rows (grad[idx] = upstream): a repeated index keeps only its last row."""
    grad = torch.zeros(vocab_size, upstream.shape[1], dtype=upstream.dtype)
    grad[torch.as_tensor(indices, dtype=torch.long)] = upstream
    return grad


def wrong_mean_of_repeated(indices, upstream, vocab_size):
    """Averages the upstream rows of a repeated index instead of summing them."""
    idx = torch.as_tensor(indices, dtype=torch.long)
    grad = torch.zeros(vocab_size, upstream.shape[1], dtype=upstream.dtype).index_add(0, idx, upstream)
    counts = torch.bincount(idx, minlength=vocab_size).clamp(min=1).to(upstream.dtype)
    return grad / counts[:, None]


def wrong_counts_only(indices, upstream, vocab_size):
    """Thinks the gradient of a row is how often it was looked up, whatever flows back."""
    idx = torch.as_tensor(indices, dtype=torch.long)
    counts = torch.bincount(idx, minlength=vocab_size).to(upstream.dtype)
    return counts[:, None].expand(vocab_size, upstream.shape[1]).clone()


def wrong_every_row(indices, upstream, vocab_size):
    """Believes every row of W gets the gradient, as with a dense layer's full weight."""
    total = upstream.sum(dim=0)
    return total.expand(vocab_size, upstream.shape[1]).clone()


def wrong_float64_numpy(indices, upstream, vocab_size):
    """Accumulates in a NumPy array of the default dtype, float64, and returns that."""
    grad = np.zeros((vocab_size, upstream.shape[1]))
    np.add.at(grad, np.asarray(indices, dtype=np.int64), upstream.detach().numpy())
    return torch.from_numpy(grad)


def wrong_linear_layout(indices, upstream, vocab_size):
    """Returns the gradient in nn.Linear's layout, (d, vocab_size), instead of W's (vocab_size, d)."""
    idx = torch.as_tensor(indices, dtype=torch.long)
    return torch.zeros(vocab_size, upstream.shape[1], dtype=upstream.dtype).index_add(0, idx, upstream).T


def wrong_empty_list_float(indices, upstream, vocab_size):
    """Converts indices with torch.as_tensor alone: an empty list becomes a float tensor and index_add_ refuses it."""
    grad = torch.zeros(vocab_size, upstream.shape[1], dtype=upstream.dtype)
    return grad.index_add_(0, torch.as_tensor(indices), upstream)
