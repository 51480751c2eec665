"""most_similar variants (a3_similarity): correct ways written differently, and real misconceptions."""
import math
import torch
import torch.nn.functional as F

EXPECTED_FAILURES = {
    'wrong_dot_product': {'most_similar_basic', 'most_similar_cosine_not_dot'},
    'wrong_skips_first': {'most_similar_excludes_token'},
    'wrong_ties_reversed': {'most_similar_ties'},
    'wrong_tensor_scores': {'most_similar_types'},
    'wrong_no_k_check': {'most_similar_errors'},
    'wrong_k_capped_wrongly': {'most_similar_k'},
    'wrong_ties_by_token': {'most_similar_ties'},
    'wrong_normalises_weight_in_place': {'most_similar_k'},
    'wrong_topk_uncapped': {'most_similar_k', 'most_similar_ties'},
    'wrong_positions_after_removal': {'most_similar_basic', 'most_similar_cosine_not_dot', 'most_similar_excludes_token', 'most_similar_k', 'most_similar_ties'},
}
# The exact feedback of every wrong variant: each message true of that mistake (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    'wrong_dot_product': {
        'most_similar_basic': (
            "most_similar('猫', vocab, weight, k=3) ranks by dot product: long vectors win whatever their "
            'direction; rank by cosine similarity, a·b / (|a| |b|), and give that as the similarity'
        ),
        'most_similar_cosine_not_dot': (
            "most_similar('甲', vocab, weight, k=2) ranks by dot product: long vectors win whatever their "
            'direction; rank by cosine similarity, a·b / (|a| |b|), and give that as the similarity'
        ),
    },
    'wrong_skips_first': {
        'most_similar_excludes_token': (
            "most_similar('鸟', vocab, weight, k=2) listed '鸟' itself among its neighbours: never list the "
            'token itself; leave out its own row by its name or index (not by dropping the first result: '
            'another token can have the same vector)'
        ),
    },
    'wrong_ties_reversed': {
        'most_similar_ties': (
            "most_similar('丑', vocab, weight, k=4) gave the right similarities but the wrong tokens among "
            'equal ones: equal similarities go by smaller vocabulary index (not by the characters), which '
            'also decides which of them make the top k; torch.topk, and torch.sort without stable=True, leave'
            ' equal values in any order'
        ),
    },
    'wrong_tensor_scores': {
        'most_similar_types': (
            'most_similar should return a list of (token, similarity) tuples: token a str, similarity a '
            'Python float (use .item()), not a tensor'
        ),
    },
    'wrong_no_k_check': {
        'most_similar_errors': (
            'most_similar with k=0 should raise ValueError, but raised no exception'
        ),
    },
    'wrong_k_capped_wrongly': {
        'most_similar_k': (
            "most_similar('鸟', vocab, weight, k=6) gave 4 pairs; k=6 is at least the vocabulary size (6 "
            'tokens), so it should give all 5 other tokens'
        ),
    },
    'wrong_ties_by_token': {
        'most_similar_ties': (
            "most_similar('子', vocab, weight, k=2) gave the right similarities but the wrong tokens among "
            'equal ones: equal similarities go by smaller vocabulary index (not by the characters), which '
            'also decides which of them make the top k; torch.topk, and torch.sort without stable=True, leave'
            ' equal values in any order'
        ),
    },
    'wrong_normalises_weight_in_place': {
        'most_similar_k': (
            "most_similar's weight was modified in place; the instructions say inputs are never changed"
        ),
    },
    'wrong_topk_uncapped': {
        'most_similar_k': (
            "most_similar('鸟', vocab, weight, k=6) raised RuntimeError: selected index k out of range -- k=6 "
            'is allowed although the vocabulary has only 6 tokens: it lists all 5 other tokens. If you use '
            'torch.topk, never ask it for more rows than weight has (6): it raises for a k larger than its '
            'input'
        ),
        'most_similar_ties': (
            "most_similar('子', vocab, weight, k=4) gave the right similarities but the wrong tokens among "
            'equal ones: equal similarities go by smaller vocabulary index (not by the characters), which '
            'also decides which of them make the top k; torch.topk, and torch.sort without stable=True, leave'
            ' equal values in any order'
        ),
    },
    'wrong_positions_after_removal': {
        'most_similar_basic': (
            "most_similar('猫', vocab, weight, k=3) gave the right similarities, but paired some of them with "
            "the wrong token: a pair is (token, the cosine of that token's row with 猫's row); check how each "
            'row index becomes its token (after removing a row, the positions past it are no longer '
            'vocabulary indices)'
        ),
        'most_similar_cosine_not_dot': (
            "most_similar('甲', vocab, weight, k=2) gave the right similarities, but paired some of them with "
            "the wrong token: a pair is (token, the cosine of that token's row with 甲's row); check how each "
            'row index becomes its token (after removing a row, the positions past it are no longer '
            'vocabulary indices)'
        ),
        'most_similar_excludes_token': (
            "most_similar('狗', vocab, weight, k=2) gave the right similarities, but paired some of them with "
            "the wrong token: a pair is (token, the cosine of that token's row with 狗's row); check how each "
            'row index becomes its token (after removing a row, the positions past it are no longer '
            'vocabulary indices)'
        ),
        'most_similar_k': (
            "most_similar('鸟', vocab, weight, k=6) gave the right similarities, but paired some of them with "
            "the wrong token: a pair is (token, the cosine of that token's row with 鸟's row); check how each "
            'row index becomes its token (after removing a row, the positions past it are no longer '
            'vocabulary indices)'
        ),
        'most_similar_ties': (
            "most_similar('丑', vocab, weight, k=4) gave the right similarities, but paired some of them with "
            "the wrong token: a pair is (token, the cosine of that token's row with 丑's row); check how each "
            'row index becomes its token (after removing a row, the positions past it are no longer '
            'vocabulary indices)'
        ),
    },
}


def correct_sorted(token, vocab, weight, k=3):
    if k < 1:
        raise ValueError("k must be at least 1")
    query = weight[vocab[token]]
    scores = []
    for other, index in sorted(vocab.items(), key=lambda item: item[1]):
        if other == token:
            continue
        similarity = F.cosine_similarity(query, weight[index], dim=0).item()
        scores.append((other, similarity))
    scores.sort(key=lambda pair: pair[1], reverse=True)  # sort is stable: ties keep index order
    return scores[:k]


def correct_stable_torch_sort(token, vocab, weight, k=3):
    if k < 1:
        raise ValueError(f"k={k}")
    row = vocab[token]
    unit = weight / torch.clamp(weight.norm(dim=1, keepdim=True), min=1e-8)
    similarities = unit @ unit[row]
    similarities[row] = -math.inf
    order = torch.sort(similarities, descending=True, stable=True).indices
    by_index = {index: tok for tok, index in vocab.items()}
    return [(by_index[i], similarities[i].item()) for i in order.tolist()[: min(k, len(vocab) - 1)]]


def correct_heap(token, vocab, weight, k=3):
    import heapq
    if not k >= 1:
        raise ValueError("k must be >= 1")
    if token not in vocab:
        raise KeyError(f"unknown token {token!r}")
    query = weight[vocab[token]]
    candidates = [(-(torch.dot(query, weight[i]) / max((query.norm() * weight[i].norm()).item(), 1e-8)).item(), i, t)
                  for t, i in vocab.items() if t != token]
    best = heapq.nsmallest(k, candidates)
    return [(t, -negative) for negative, i, t in best]


def wrong_dot_product(token, vocab, weight, k=3):
    """Ranks by dot product: long vectors win whatever their direction."""
    if k < 1:
        raise ValueError("k must be at least 1")
    scores = [(t, torch.dot(weight[vocab[token]], weight[i]).item()) for t, i in vocab.items() if t != token]
    return sorted(scores, key=lambda pair: pair[1], reverse=True)[:k]


def wrong_skips_first(token, vocab, weight, k=3):
    """Sorts every token, itself included, and drops the first result, assuming it is the token."""
    if k < 1:
        raise ValueError("k must be at least 1")
    query = weight[vocab[token]]
    scores = [(t, F.cosine_similarity(query, weight[i], dim=0).item()) for t, i in vocab.items()]
    scores.sort(key=lambda pair: pair[1], reverse=True)
    return scores[1:k + 1]


def wrong_ties_reversed(token, vocab, weight, k=3):
    """Sorts (similarity, index) pairs in reverse: ties go to the larger index."""
    if k < 1:
        raise ValueError("k must be at least 1")
    query = weight[vocab[token]]
    scores = [(F.cosine_similarity(query, weight[i], dim=0).item(), i, t) for t, i in vocab.items() if t != token]
    scores.sort(reverse=True)  # ties go to the *larger* index
    return [(t, s) for s, i, t in scores[:k]]


def wrong_tensor_scores(token, vocab, weight, k=3):
    """Leaves the similarities as 0-dim tensors instead of Python floats."""
    if k < 1:
        raise ValueError("k must be at least 1")
    query = weight[vocab[token]]
    scores = [(t, F.cosine_similarity(query, weight[i], dim=0)) for t, i in vocab.items() if t != token]
    scores.sort(key=lambda pair: pair[1].item(), reverse=True)
    return scores[:k]


def wrong_no_k_check(token, vocab, weight, k=3):
    """Never checks k: k=0 gives [] and a negative k silently drops neighbours."""
    query = weight[vocab[token]]
    scores = [(t, F.cosine_similarity(query, weight[i], dim=0).item()) for t, i in vocab.items() if t != token]
    scores.sort(key=lambda pair: pair[1], reverse=True)
    return scores[:k]


def wrong_k_capped_wrongly(token, vocab, weight, k=3):
    """Caps k at V - 2 (off by one), so k >= V - 1 loses a neighbour."""
    if k < 1:
        raise ValueError("k must be at least 1")
    query = weight[vocab[token]]
    scores = [(t, F.cosine_similarity(query, weight[i], dim=0).item()) for t, i in vocab.items() if t != token]
    scores.sort(key=lambda pair: pair[1], reverse=True)
    return scores[:min(k, len(vocab) - 2)]


def wrong_ties_by_token(token, vocab, weight, k=3):
    """Breaks ties by the token itself (alphabetical / code point), not by vocabulary index."""
    if k < 1:
        raise ValueError("k must be at least 1")
    query = weight[vocab[token]]
    sims = F.cosine_similarity(weight, query.unsqueeze(0), dim=1)
    others = [(tok, i) for tok, i in vocab.items() if tok != token]
    others.sort(key=lambda item: (-sims[item[1]].item(), item[0]))
    return [(tok, sims[i].item()) for tok, i in others[:k]]


def wrong_normalises_weight_in_place(token, vocab, weight, k=3):
    """Ranks by cosine by normalising the rows of the caller's weight in place."""
    if k < 1:
        raise ValueError("k must be at least 1")
    index = vocab[token]
    weight /= weight.norm(dim=1, keepdim=True).clamp(min=1e-8)  # changes the caller's embeddings
    scores = weight @ weight[index]
    others = sorted((i for i in range(weight.shape[0]) if i != index), key=lambda i: (-scores[i].item(), i))
    names = {i: t for t, i in vocab.items()}
    return [(names[i], scores[i].item()) for i in others[:k]]


def wrong_topk_uncapped(token, vocab, weight, k=3):
    """Asks torch.topk for k + 1 rows (the token itself, then k others): k >= V asks for more rows than exist."""
    if k < 1:
        raise ValueError("k must be at least 1")
    row = vocab[token]
    unit = weight / weight.norm(dim=1, keepdim=True).clamp(min=1e-8)
    similarities = unit @ unit[row]
    similarities[row] = math.inf  # the token itself first, then dropped
    top = torch.topk(similarities, k + 1)
    by_index = {index: tok for tok, index in vocab.items()}
    return [(by_index[i], v) for v, i in zip(top.values.tolist()[1:], top.indices.tolist()[1:])]


def wrong_positions_after_removal(token, vocab, weight, k=3):
    """Removes the token's own row, then names each result by its position in the shortened tensor as if it
    were a vocabulary index: every token after the removed row gets the name of the token before it."""
    if k < 1:
        raise ValueError("k must be at least 1")
    row = vocab[token]
    unit = weight / weight.norm(dim=1, keepdim=True).clamp(min=1e-8)
    others = torch.cat([unit[:row], unit[row + 1:]])  # positions past `row` are now one less than their index
    similarities = others @ unit[row]
    order = torch.sort(similarities, descending=True, stable=True).indices[:k]
    by_index = {index: tok for tok, index in vocab.items()}
    return [(by_index[i], similarities[i].item()) for i in order.tolist()]
