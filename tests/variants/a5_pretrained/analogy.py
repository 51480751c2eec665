"""analogy variants (a5_pretrained): correct ways written differently, and real misconceptions."""
import torch
import torch.nn.functional as F

EXPECTED_FAILURES = {
    'wrong_raw_rows': {'analogy_glove', 'analogy_unit_rows'},
    'wrong_keeps_inputs': {'analogy_basic', 'analogy_excludes_inputs', 'analogy_glove'},
    'wrong_a_minus_b': {'analogy_basic', 'analogy_glove', 'analogy_unit_rows'},
    'wrong_dot_with_query': {'analogy_glove', 'analogy_unit_rows'},
    'wrong_excludes_only_c': {'analogy_basic', 'analogy_excludes_inputs', 'analogy_glove'},
    'wrong_tensor_scores': {'analogy_types_and_ties'},
    'wrong_lists_inputs_when_k_is_large': {'analogy_excludes_inputs'},
    'wrong_query_not_normalised': {'analogy_basic'},
    'wrong_numpy_scores': {'analogy_types_and_ties'},
    'wrong_python_loop': {'analogy_vectorised'},
}
# The exact feedback of every wrong variant: each message true of that mistake (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    'wrong_raw_rows': {
        'analogy_glove': (
            "analogy('man', 'king', 'woman', vocab, vectors, k=3) on the GloVe vectors added the raw rows b - "
            'a + c, so a long row outweighs the others: divide each of the three rows by its norm first, '
            'unit(b) - unit(a) + unit(c)'
        ),
        'analogy_unit_rows': (
            "analogy('man', 'king', 'woman', k=1) on rows of different lengths added the raw rows b - a + c, "
            'so a long row outweighs the others: divide each of the three rows by its norm first, unit(b) - '
            'unit(a) + unit(c)'
        ),
    },
    'wrong_keeps_inputs': {
        'analogy_basic': (
            "analogy('man', 'king', 'woman', k=3) listed one of its input words: leave out all three of a, b "
            'and c (their rows in vocab)'
        ),
        'analogy_excludes_inputs': (
            "analogy('man', 'king', 'woman', k=5) listed one of its input words: leave out all three of a, b "
            'and c (their rows in vocab)'
        ),
        'analogy_glove': (
            "analogy('man', 'king', 'woman', vocab, vectors, k=3) on the GloVe vectors listed one of its "
            'input words: leave out all three of a, b and c (their rows in vocab)'
        ),
    },
    'wrong_a_minus_b': {
        'analogy_basic': (
            "analogy('man', 'king', 'woman', k=3) computed unit(a) - unit(b) + unit(c), the analogy read "
            'backwards: use unit(b) - unit(a) + unit(c), here unit(king) - unit(man) + unit(woman)'
        ),
        'analogy_glove': (
            "analogy('man', 'king', 'woman', vocab, vectors, k=3) on the GloVe vectors computed unit(a) - "
            'unit(b) + unit(c), the analogy read backwards: use unit(b) - unit(a) + unit(c), here unit(king) '
            '- unit(man) + unit(woman)'
        ),
        'analogy_unit_rows': (
            "analogy('man', 'king', 'woman', k=1) on rows of different lengths computed unit(a) - unit(b) + "
            'unit(c), the analogy read backwards: use unit(b) - unit(a) + unit(c), here unit(king) - '
            'unit(man) + unit(woman)'
        ),
    },
    'wrong_dot_with_query': {
        'analogy_glove': (
            "analogy('man', 'king', 'woman', vocab, vectors, k=3) on the GloVe vectors ranked the rows by "
            'their dot product with the query, where a long row wins whatever its direction: rank by cosine '
            "similarity (divide by each row's norm)"
        ),
        'analogy_unit_rows': (
            "analogy('king', 'man', 'queen', k=2) on rows of different lengths ranked the rows by their dot "
            'product with the query, where a long row wins whatever its direction: rank by cosine similarity '
            "(divide by each row's norm)"
        ),
    },
    'wrong_excludes_only_c': {
        'analogy_basic': (
            "analogy('man', 'king', 'woman', k=3) listed one of its input words: leave out all three of a, b "
            'and c (their rows in vocab)'
        ),
        'analogy_excludes_inputs': (
            "analogy('man', 'king', 'woman', k=5) listed one of its input words: leave out all three of a, b "
            'and c (their rows in vocab)'
        ),
        'analogy_glove': (
            "analogy('man', 'king', 'woman', vocab, vectors, k=3) on the GloVe vectors listed one of its "
            'input words: leave out all three of a, b and c (their rows in vocab)'
        ),
    },
    'wrong_tensor_scores': {
        'analogy_types_and_ties': (
            "analogy('man', 'king', 'woman', k=2) returned the similarities as tensors: make each one a "
            'Python float (.item(), or .tolist() on the scores)'
        ),
    },
    'wrong_lists_inputs_when_k_is_large': {
        'analogy_excludes_inputs': (
            "analogy('man', 'king', 'woman', k=10) listed one of its input words when k is larger than the "
            'number of other words (5 here): a, b and c are never listed, however large k is, so list the 5 '
            'other words (a score of -inf still lists a word)'
        ),
    },
    'wrong_query_not_normalised': {
        'analogy_basic': (
            "analogy('man', 'king', 'woman', k=3) gave the right words with wrong similarities: each is the "
            "cosine of the word's row with the query unit(b) - unit(a) + unit(c)"
        ),
    },
    'wrong_numpy_scores': {
        'analogy_types_and_ties': (
            "analogy('man', 'king', 'woman', k=2) returned the similarities as numpy floats: make each one a "
            'Python float (float(x), or .tolist() on the array)'
        ),
    },
    'wrong_python_loop': {
        'analogy_vectorised': (
            "analogy('man', 'king', 'woman', vocab, vectors, k=3) on all 400,000 GloVe rows took more than 100 "
            'times the time of a vectorised search of the same rows (the test stops it there): compute '
            "every row's cosine at once (one matrix-vector product over all rows, then a top-k), not one row at"
            ' a time in a Python loop'
        ),
    },
}


def correct_normalised_table(a, b, c, vocab, vectors, k=1):
    unit = F.normalize(vectors, dim=1)
    query = unit[vocab[b]] - unit[vocab[a]] + unit[vocab[c]]
    scores = unit @ (query / query.norm())
    for word in (a, b, c):
        scores[vocab[word]] = -float("inf")
    order = torch.sort(scores, descending=True, stable=True).indices[:k].tolist()
    names = {i: w for w, i in vocab.items()}
    # a, b and c sort last with -inf: a k beyond the other words would reach them
    return [(names[i], scores[i].item()) for i in order if scores[i] > -float("inf")]


def correct_cosine_similarity(a, b, c, vocab, vectors, k=1):
    rows = [vocab[a], vocab[b], vocab[c]]
    unit = [vectors[r] / vectors[r].norm() for r in rows]
    query = unit[1] - unit[0] + unit[2]
    scores = F.cosine_similarity(vectors, query.unsqueeze(0), dim=1).tolist()
    ranked = sorted((i for i in range(len(scores)) if i not in rows), key=lambda i: (-scores[i], i))
    names = {i: w for w, i in vocab.items()}
    return [(names[i], scores[i]) for i in ranked[:k]]


def correct_float64(a, b, c, vocab, vectors, k=1):
    table = vectors.double()
    unit = table / table.norm(dim=1, keepdim=True).clamp(min=1e-12)
    query = unit[vocab[b]] - unit[vocab[a]] + unit[vocab[c]]
    scores = unit @ query / query.norm()
    excluded = {vocab[a], vocab[b], vocab[c]}
    order = [i for i in torch.sort(scores, descending=True, stable=True).indices.tolist() if i not in excluded]
    names = {i: w for w, i in vocab.items()}
    return [(names[i], float(scores[i])) for i in order[:k]]


def wrong_raw_rows(a, b, c, vocab, vectors, k=1):
    """Adds the raw rows b - a + c: long rows outweigh the others."""
    query = vectors[vocab[b]] - vectors[vocab[a]] + vectors[vocab[c]]
    scores = F.cosine_similarity(vectors, query.unsqueeze(0), dim=1)
    for word in (a, b, c):
        scores[vocab[word]] = -float("inf")
    order = torch.sort(scores, descending=True, stable=True).indices[:min(k, len(scores) - 3)].tolist()
    names = {i: w for w, i in vocab.items()}
    return [(names[i], scores[i].item()) for i in order]


def wrong_keeps_inputs(a, b, c, vocab, vectors, k=1):
    """Forgets to leave out a, b and c (b or c itself is then often the answer)."""
    unit = F.normalize(vectors, dim=1)
    query = unit[vocab[b]] - unit[vocab[a]] + unit[vocab[c]]
    scores = unit @ (query / query.norm())
    order = torch.sort(scores, descending=True, stable=True).indices[:k].tolist()
    names = {i: w for w, i in vocab.items()}
    return [(names[i], scores[i].item()) for i in order]


def wrong_a_minus_b(a, b, c, vocab, vectors, k=1):
    """Reads "a is to b" backwards: unit(a) - unit(b) + unit(c)."""
    unit = F.normalize(vectors, dim=1)
    query = unit[vocab[a]] - unit[vocab[b]] + unit[vocab[c]]
    scores = unit @ (query / query.norm())
    for word in (a, b, c):
        scores[vocab[word]] = -float("inf")
    order = torch.sort(scores, descending=True, stable=True).indices[:min(k, len(scores) - 3)].tolist()
    names = {i: w for w, i in vocab.items()}
    return [(names[i], scores[i].item()) for i in order]


def wrong_dot_with_query(a, b, c, vocab, vectors, k=1):
    """Scores raw rows by their dot product with the query: long rows win."""
    unit = F.normalize(vectors, dim=1)
    query = unit[vocab[b]] - unit[vocab[a]] + unit[vocab[c]]
    scores = vectors @ (query / query.norm())
    for word in (a, b, c):
        scores[vocab[word]] = -float("inf")
    order = torch.sort(scores, descending=True, stable=True).indices[:min(k, len(scores) - 3)].tolist()
    names = {i: w for w, i in vocab.items()}
    return [(names[i], scores[i].item()) for i in order]


def wrong_excludes_only_c(a, b, c, vocab, vectors, k=1):
    """Leaves out c only, like nearest(c) leaves out its word."""
    unit = F.normalize(vectors, dim=1)
    query = unit[vocab[b]] - unit[vocab[a]] + unit[vocab[c]]
    scores = unit @ (query / query.norm())
    scores[vocab[c]] = -float("inf")
    order = torch.sort(scores, descending=True, stable=True).indices[:k].tolist()
    names = {i: w for w, i in vocab.items()}
    return [(names[i], scores[i].item()) for i in order]


def wrong_tensor_scores(a, b, c, vocab, vectors, k=1):
    """Leaves the similarities as 0-dim tensors instead of Python floats."""
    unit = F.normalize(vectors, dim=1)
    query = unit[vocab[b]] - unit[vocab[a]] + unit[vocab[c]]
    scores = unit @ (query / query.norm())
    for word in (a, b, c):
        scores[vocab[word]] = -float("inf")
    order = torch.sort(scores, descending=True, stable=True).indices[:min(k, len(scores) - 3)].tolist()
    names = {i: w for w, i in vocab.items()}
    return [(names[i], scores[i]) for i in order]


def wrong_lists_inputs_when_k_is_large(a, b, c, vocab, vectors, k=1):
    """Gives a, b and c a score of -inf and takes the top k: a k beyond the other words lists them anyway."""
    unit = F.normalize(vectors, dim=1)
    query = unit[vocab[b]] - unit[vocab[a]] + unit[vocab[c]]
    scores = unit @ (query / query.norm())
    for word in (a, b, c):
        scores[vocab[word]] = -float("inf")
    order = torch.sort(scores, descending=True, stable=True).indices[:k].tolist()
    names = {i: w for w, i in vocab.items()}
    return [(names[i], scores[i].item()) for i in order]


def wrong_query_not_normalised(a, b, c, vocab, vectors, k=1):
    """Dots the unit rows with the query without dividing by its norm: the right words, but the
    scores are cosines times the query's length."""
    unit = F.normalize(vectors, dim=1)
    query = unit[vocab[b]] - unit[vocab[a]] + unit[vocab[c]]
    scores = unit @ query
    excluded = {vocab[a], vocab[b], vocab[c]}
    order = [i for i in torch.sort(scores, descending=True, stable=True).indices[:k + 3].tolist()
             if i not in excluded][:k]
    names = {i: w for w, i in vocab.items()}
    return [(names[i], scores[i].item()) for i in order]


def wrong_numpy_scores(a, b, c, vocab, vectors, k=1):
    """Works in numpy and returns its float32 scores as they come (numpy floats, not Python floats)."""
    import numpy as np
    rows = vectors.detach().numpy()
    unit = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    query = unit[vocab[b]] - unit[vocab[a]] + unit[vocab[c]]
    scores = unit @ (query / np.linalg.norm(query))
    scores[[vocab[a], vocab[b], vocab[c]]] = -np.inf
    order = np.argsort(-scores, kind="stable")[:min(k, len(scores) - 3)]
    names = {i: w for w, i in vocab.items()}
    return [(names[int(i)], scores[i]) for i in order]


def wrong_python_loop(a, b, c, vocab, vectors, k=1):
    """Computes one row's cosine with the query at a time in a Python loop: right words, seconds a query on
    400,000 rows."""
    rows = [vocab[a], vocab[b], vocab[c]]
    unit = [vectors[r] / vectors[r].norm() for r in rows]
    query = unit[1] - unit[0] + unit[2]
    scores = []
    for i in range(vectors.shape[0]):
        row = vectors[i]
        scores.append((row @ query / (row.norm() * query.norm()).clamp(min=1e-12)).item())
    ranked = sorted((i for i in range(len(scores)) if i not in rows), key=lambda i: (-scores[i], i))[:k]
    names = {i: w for w, i in vocab.items()}
    return [(names[i], scores[i]) for i in ranked]
