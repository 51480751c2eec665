"""nearest variants (a5_pretrained): correct ways written differently, and real misconceptions."""
import torch
import torch.nn.functional as F

EXPECTED_FAILURES = {
    'wrong_dot_product': {'nearest_basic', 'nearest_cosine_not_dot', 'nearest_glove'},
    'wrong_skips_first': {'nearest_excludes_word'},
    'wrong_topk_ties': {'nearest_ties'},
    'wrong_reverse_sorted_ties': {'nearest_ties'},
    'wrong_dict_order_names': {'nearest_ties'},
    'wrong_tensor_scores': {'nearest_types'},
    'wrong_no_k_check': {'nearest_errors'},
    'wrong_normalises_in_place': {'nearest_leaves_inputs'},
    'wrong_python_loop': {'nearest_vectorised'},
    'wrong_numpy_scores': {'nearest_types'},
}
# The exact feedback of every wrong variant: each message true of that mistake (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    'wrong_dot_product': {
        'nearest_basic': (
            "nearest('cat', k=3) ranked the rows by dot product, where a long row wins whatever its "
            "direction: rank by cosine similarity, the dot product divided by both rows' norms"
        ),
        'nearest_cosine_not_dot': (
            "nearest('a', k=2) among rows of very different lengths ranked the rows by dot product, where a "
            'long row wins whatever its direction: rank by cosine similarity, the dot product divided by both '
            "rows' norms"
        ),
        'nearest_glove': (
            "nearest('beijing', vocab, vectors, k=5) on the GloVe vectors ranked the rows by dot product, "
            'where a long row wins whatever its direction: rank by cosine similarity, the dot product divided '
            "by both rows' norms"
        ),
    },
    'wrong_skips_first': {
        'nearest_excludes_word': (
            "nearest('bird', k=2) with dog and bird sharing one vector listed 'bird' itself: leave out the "
            "word's own row, vocab[word] (not simply the first result: another word may have the same vector)"
        ),
    },
    'wrong_topk_ties': {
        'nearest_ties': (
            "nearest('v', k=4) on a table with equal similarities gave the wrong neighbours: equal "
            'similarities are listed by smaller index first (torch.topk promises no order among equal values: '
            'sort stably, or by (-similarity, index))'
        ),
    },
    'wrong_reverse_sorted_ties': {
        'nearest_ties': (
            "nearest('v', k=4) on a table with equal similarities listed equal similarities larger index "
            'first: list the smaller index first, e.g. sort by (-similarity, index) (reverse=True reverses '
            'the order of the indices too)'
        ),
    },
    'wrong_dict_order_names': {
        'nearest_ties': (
            "nearest('v', k=4) with a vocab dict not in index order named row i after the i-th key of the "
            'dict (list(vocab)[i]): row i belongs to the word whose index vocab[word] is i (invert the dict: '
            '{i: w for w, i in vocab.items()})'
        ),
    },
    'wrong_tensor_scores': {
        'nearest_types': (
            "nearest('fish', k=2) returned the similarities as tensors: make each one a Python float "
            '(.item(), or .tolist() on the scores)'
        ),
    },
    'wrong_no_k_check': {
        'nearest_errors': (
            "nearest('cat', vocab, vectors, k=0) should raise ValueError (k must be at least 1), but raised "
            'no exception'
        ),
    },
    'wrong_normalises_in_place': {
        'nearest_leaves_inputs': (
            'nearest changed the vectors tensor it was given (an in-place operation such as /= or .div_()): '
            'leave its input unchanged and compute a new tensor'
        ),
    },
    'wrong_python_loop': {
        'nearest_vectorised': (
            "nearest('beijing', vocab, vectors, k=5) on all 400,000 GloVe rows took more than 100 times the"
            " time of a vectorised search of the same rows (the test stops it there): compute every row's "
            'cosine at once (one matrix-vector product over all rows, then a top-k), not one row at a time in a'
            ' Python loop'
        ),
    },
    'wrong_numpy_scores': {
        'nearest_types': (
            "nearest('fish', k=2) returned the similarities as numpy floats: make each one a Python float "
            '(float(x), or .tolist() on the array)'
        ),
    },
}


def correct_stable_sort(word, vocab, vectors, k=5):
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    row = vocab[word]
    unit = F.normalize(vectors, dim=1)
    scores = unit @ unit[row]
    scores[row] = -float("inf")
    order = torch.sort(scores, descending=True, stable=True).indices[:k].tolist()
    names = {i: w for w, i in vocab.items()}
    return [(names[i], scores[i].item()) for i in order]


def correct_argsort_numpy(word, vocab, vectors, k=5):
    import numpy as np
    if k < 1:
        raise ValueError("k must be at least 1")
    matrix = vectors.detach().numpy().astype(np.float64)
    norms = np.linalg.norm(matrix, axis=1)
    query = matrix[vocab[word]]
    scores = matrix @ query / np.maximum(norms * np.linalg.norm(query), 1e-12)
    scores[vocab[word]] = -np.inf
    order = np.argsort(-scores, kind="stable")[:k]
    names = sorted(vocab, key=vocab.get)
    return [(names[i], float(scores[i])) for i in order]


def correct_cosine_then_sorted(word, vocab, vectors, k=5):
    if k < 1:
        raise ValueError("k must be positive")
    query = vectors[vocab[word]].unsqueeze(0)
    scores = F.cosine_similarity(vectors, query, dim=1).tolist()
    ranked = sorted((i for i in range(len(scores)) if i != vocab[word]), key=lambda i: (-scores[i], i))
    names = {i: w for w, i in vocab.items()}
    return [(names[i], scores[i]) for i in ranked[:k]]


def wrong_dot_product(word, vocab, vectors, k=5):
    """Ranks by dot product: long rows win whatever their direction."""
    if k < 1:
        raise ValueError("k must be at least 1")
    scores = vectors @ vectors[vocab[word]]
    scores[vocab[word]] = -float("inf")
    order = torch.sort(scores, descending=True, stable=True).indices[:k].tolist()
    names = {i: w for w, i in vocab.items()}
    return [(names[i], scores[i].item()) for i in order]


def wrong_skips_first(word, vocab, vectors, k=5):
    """Ranks every row, the word's own included, and drops the first result assuming it is the word."""
    if k < 1:
        raise ValueError("k must be at least 1")
    unit = F.normalize(vectors, dim=1)
    scores = unit @ unit[vocab[word]]
    order = torch.sort(scores, descending=True, stable=True).indices[1:k + 1].tolist()
    names = {i: w for w, i in vocab.items()}
    return [(names[i], scores[i].item()) for i in order]


def wrong_topk_ties(word, vocab, vectors, k=5):
    """Trusts torch.topk's order among equal scores (it promises none)."""
    if k < 1:
        raise ValueError("k must be at least 1")
    unit = F.normalize(vectors, dim=1)
    scores = unit @ unit[vocab[word]]
    scores[vocab[word]] = -float("inf")
    # Reversed rows before topk: equal scores then come out largest index first.
    top = torch.topk(scores.flip(0), min(k, len(scores) - 1))
    names = {i: w for w, i in vocab.items()}
    last = len(scores) - 1
    return [(names[last - i], v) for v, i in zip(top.values.tolist(), top.indices.tolist())]


def wrong_reverse_sorted_ties(word, vocab, vectors, k=5):
    """Sorts (similarity, index) pairs with reverse=True: equal similarities then come larger index first."""
    if k < 1:
        raise ValueError("k must be at least 1")
    unit = F.normalize(vectors, dim=1)
    row = vocab[word]
    scores = (unit @ unit[row]).tolist()
    ranked = sorted(((s, i) for i, s in enumerate(scores) if i != row), reverse=True)[:k]
    names = {i: w for w, i in vocab.items()}
    return [(names[i], s) for s, i in ranked]


def wrong_dict_order_names(word, vocab, vectors, k=5):
    """Names rows by the dict's order (list(vocab)[i]), assuming it is the index order."""
    if k < 1:
        raise ValueError("k must be at least 1")
    unit = F.normalize(vectors, dim=1)
    scores = unit @ unit[vocab[word]]
    scores[vocab[word]] = -float("inf")
    order = torch.sort(scores, descending=True, stable=True).indices[:k].tolist()
    names = list(vocab)
    return [(names[i], scores[i].item()) for i in order]


def wrong_tensor_scores(word, vocab, vectors, k=5):
    """Leaves the similarities as 0-dim tensors instead of Python floats."""
    if k < 1:
        raise ValueError("k must be at least 1")
    unit = F.normalize(vectors, dim=1)
    scores = unit @ unit[vocab[word]]
    scores[vocab[word]] = -float("inf")
    order = torch.sort(scores, descending=True, stable=True).indices[:k].tolist()
    names = {i: w for w, i in vocab.items()}
    return [(names[i], scores[i]) for i in order]


def wrong_no_k_check(word, vocab, vectors, k=5):
    """Never checks k: k=0 gives [] and k=-1 drops the last word silently."""
    unit = F.normalize(vectors, dim=1)
    scores = unit @ unit[vocab[word]]
    scores[vocab[word]] = -float("inf")
    order = torch.sort(scores, descending=True, stable=True).indices[:k].tolist()
    names = {i: w for w, i in vocab.items()}
    return [(names[i], scores[i].item()) for i in order]


def wrong_normalises_in_place(word, vocab, vectors, k=5):
    """Normalises the caller's rows in place to save memory."""
    if k < 1:
        raise ValueError("k must be at least 1")
    vectors /= vectors.norm(dim=1, keepdim=True).clamp(min=1e-12)
    scores = vectors @ vectors[vocab[word]]
    scores[vocab[word]] = -float("inf")
    order = torch.sort(scores, descending=True, stable=True).indices[:k].tolist()
    names = {i: w for w, i in vocab.items()}
    return [(names[i], scores[i].item()) for i in order]


def wrong_python_loop(word, vocab, vectors, k=5):
    """Computes one row's cosine at a time in a Python loop: right neighbours, seconds a query on 400,000 rows."""
    if k < 1:
        raise ValueError("k must be at least 1")
    query = vectors[vocab[word]]
    scores = []
    for i in range(vectors.shape[0]):
        row = vectors[i]
        scores.append((row @ query / (row.norm() * query.norm()).clamp(min=1e-12)).item())
    scores[vocab[word]] = -float("inf")
    ranked = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:k]
    names = {i: w for w, i in vocab.items()}
    return [(names[i], scores[i]) for i in ranked]


def wrong_numpy_scores(word, vocab, vectors, k=5):
    """Works in numpy and returns its float32 scores as they come (numpy floats, not Python floats)."""
    import numpy as np
    if k < 1:
        raise ValueError("k must be at least 1")
    rows = vectors.detach().numpy()
    scores = rows @ rows[vocab[word]] / np.maximum(np.linalg.norm(rows, axis=1) * np.linalg.norm(rows[vocab[word]]),
                                                   1e-12)
    scores[vocab[word]] = -np.inf
    order = np.argsort(-scores, kind="stable")[:k]
    names = {i: w for w, i in vocab.items()}
    return [(names[int(i)], scores[i]) for i in order]
