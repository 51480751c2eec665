"""embedding_weight_grad variants (a2_linear)."""
import numpy as np
import torch
import torch.nn.functional as F

EXPECTED_FAILURES = {
    "wrong_overwrite_repeated": {"embedding_weight_grad_repeated"},
    "wrong_mean_of_repeated": {"embedding_weight_grad_repeated"},
    "wrong_counts_only": {"embedding_weight_grad_repeated"},
    "wrong_every_row": {"embedding_weight_grad_basic", "embedding_weight_grad_repeated"},
    "wrong_float64_numpy": {"embedding_weight_grad_dtype"},
    "wrong_linear_layout": {"embedding_weight_grad_basic"},
    "wrong_empty_list_float": {"embedding_weight_grad_index_types"},
    "wrong_one_hot_int32": {"embedding_weight_grad_index_types"},
}
# The exact feedback of a wrong variant, where the wording matters (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    "wrong_overwrite_repeated": {
        "embedding_weight_grad_repeated": "embedding_weight_grad([2, 0, 2, 2, 4], upstream of shape (5, 3), 6) "
                                          "put only one of index 2's three upstream rows in row 2 (an "
                                          "assignment such as grad[indices] = upstream keeps one per index): a "
                                          "repeated index gets the sum of all its upstream rows, so add them up "
                                          "(index_add_, or += one position at a time)",
    },
    "wrong_mean_of_repeated": {
        "embedding_weight_grad_repeated": "embedding_weight_grad([2, 0, 2, 2, 4], upstream of shape (5, 3), 6) "
                                          "gave row 2 the mean of index 2's three upstream rows: each lookup "
                                          "adds its own contribution, so a repeated index gets their sum, not "
                                          "their mean",
    },
    "wrong_counts_only": {
        "embedding_weight_grad_repeated": "embedding_weight_grad([2, 0, 2, 2, 4], upstream of shape (5, 3), 6) "
                                          "gave each row the number of times its index appears: a row's "
                                          "gradient is the sum of the upstream rows at the positions where it "
                                          "was looked up, so the values of upstream matter, not only the count",
    },
    "wrong_every_row": {
        "embedding_weight_grad_basic": "embedding_weight_grad([1, 3], torch.ones(2, 3), 5) gave every row the "
                                       "sum of all upstream rows (2.0 everywhere): only rows 1 and 3 were "
                                       "looked up, so only they get a gradient (their upstream rows, ones); "
                                       "every other row stays 0",
        "embedding_weight_grad_repeated": "embedding_weight_grad([2, 0, 2, 2, 4], upstream of shape (5, 3), 6) "
                                          "gave every row the sum of all upstream rows: only the rows looked up "
                                          "get a gradient (row 2 the sum of its own three upstream rows), and "
                                          "rows never looked up stay 0",
    },
    "wrong_float64_numpy": {
        "embedding_weight_grad_dtype": "embedding_weight_grad returned float64 for a float32 upstream: the "
                                       "gradient has upstream's dtype, float32 (create it with "
                                       "dtype=upstream.dtype; NumPy arrays are float64 by default)",
    },
    "wrong_linear_layout": {
        "embedding_weight_grad_basic": "embedding_weight_grad([1, 3], torch.ones(2, 3), 5) returned shape (3, "
                                       "5) = (d, vocab_size), the layout of nn.Linear's weight: the gradient of "
                                       "W has W's shape, (vocab_size, d) = (5, 3)",
    },
    "wrong_empty_list_float": {
        "embedding_weight_grad_index_types": "embedding_weight_grad([], upstream of shape (0, 3), 5) raised "
                                             "RuntimeError: index_add_(): Expected dtype int32/int64 for index "
                                             "but got: Float -- torch.as_tensor([]) and torch.tensor([]) are "
                                             "float32 tensors, which cannot index: convert with "
                                             "torch.as_tensor(indices, dtype=torch.long)",
    },
    "wrong_one_hot_int32": {
        "embedding_weight_grad_index_types": "embedding_weight_grad(an int32 tensor [3, 1], upstream of shape "
                                             "(2, 3), 5) raised RuntimeError: one_hot is only applicable to "
                                             "index tensor of type LongTensor. -- indices may be an int32 "
                                             "tensor: convert them with torch.as_tensor(indices, "
                                             "dtype=torch.long) before using them",
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


def wrong_one_hot_int32(indices, upstream, vocab_size):
    """Hands the indices to F.one_hot unconverted: F.one_hot takes only int64 tensors, so an int32
    tensor (and an empty list, which torch.as_tensor makes float32) raises."""
    rows = F.one_hot(torch.as_tensor(indices), vocab_size).to(upstream.dtype)
    return rows.T @ upstream
