"""skipgram_pairs variants (a4_training): correct ways written differently, and real misconceptions."""
import numpy as np
import torch

EXPECTED_FAILURES = {
    'wrong_includes_self': {'skipgram_pairs_basic', 'skipgram_pairs_edges', 'skipgram_pairs_order', 'skipgram_pairs_tensor_input', 'skipgram_pairs_token_ids'},
    'wrong_nearest_first': {'skipgram_pairs_basic', 'skipgram_pairs_order'},
    'wrong_positions': {'skipgram_pairs_basic', 'skipgram_pairs_edges', 'skipgram_pairs_order', 'skipgram_pairs_tensor_input', 'skipgram_pairs_token_ids'},
    'wrong_tensor_items': {'skipgram_pairs_tensor_input'},
    'wrong_right_only': {'skipgram_pairs_basic', 'skipgram_pairs_edges', 'skipgram_pairs_order', 'skipgram_pairs_tensor_input', 'skipgram_pairs_token_ids'},
    'wrong_no_window_check': {'skipgram_pairs_window_error'},
}
# The exact feedback of every wrong variant: each message true of that mistake (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    'wrong_includes_self': {
        'skipgram_pairs_basic': (
            'skipgram_pairs([0, 1, 2], window=1) pairs each position with itself too: the context positions j'
            ' are those with 0 < abs(i - j) <= window, so skip j == i'
        ),
        'skipgram_pairs_edges': (
            'skipgram_pairs([4], window=3) pairs each position with itself too: the context positions j are '
            'those with 0 < abs(i - j) <= window, so skip j == i'
        ),
        'skipgram_pairs_order': (
            'skipgram_pairs([10, 11, 12, 13, 14, 15], window=2) pairs each position with itself too: the '
            'context positions j are those with 0 < abs(i - j) <= window, so skip j == i'
        ),
        'skipgram_pairs_tensor_input': (
            'skipgram_pairs(an int64 tensor [4, 0, 2], window=1) pairs each position with itself too: the '
            'context positions j are those with 0 < abs(i - j) <= window, so skip j == i'
        ),
        'skipgram_pairs_token_ids': (
            'skipgram_pairs([7, 7, 3, 7], window=1) pairs each position with itself too: the context '
            'positions j are those with 0 < abs(i - j) <= window, so skip j == i'
        ),
    },
    'wrong_nearest_first': {
        'skipgram_pairs_basic': (
            'skipgram_pairs([5, 6, 7, 8], window=2) gave the right pairs in the wrong order: for each '
            'position i in ascending order, its context positions j in ascending order (not nearest first)'
        ),
        'skipgram_pairs_order': (
            'skipgram_pairs([10, 11, 12, 13, 14, 15], window=2) gave the right pairs in the wrong order: for '
            'each position i in ascending order, its context positions j in ascending order (not nearest '
            'first)'
        ),
    },
    'wrong_positions': {
        'skipgram_pairs_basic': (
            'skipgram_pairs([5, 6, 7, 8], window=2) returns positions, not token ids: a pair is '
            '(token_ids[i], token_ids[j])'
        ),
        'skipgram_pairs_edges': (
            'skipgram_pairs([1, 2], window=10) returns positions, not token ids: a pair is (token_ids[i], '
            'token_ids[j])'
        ),
        'skipgram_pairs_order': (
            'skipgram_pairs([10, 11, 12, 13, 14, 15], window=2) returns positions, not token ids: a pair is '
            '(token_ids[i], token_ids[j])'
        ),
        'skipgram_pairs_tensor_input': (
            'skipgram_pairs(an int64 tensor [4, 0, 2], window=1) returns positions, not token ids: a pair is '
            '(token_ids[i], token_ids[j])'
        ),
        'skipgram_pairs_token_ids': (
            'skipgram_pairs([7, 7, 3, 7], window=1) returns positions, not token ids: a pair is '
            '(token_ids[i], token_ids[j])'
        ),
    },
    'wrong_tensor_items': {
        'skipgram_pairs_tensor_input': (
            'skipgram_pairs(an int64 tensor [4, 0, 2], window=1) should return a list of tuples of two Python'
            ' ints (use int(...)), not tensors or lists'
        ),
    },
    'wrong_right_only': {
        'skipgram_pairs_basic': (
            'skipgram_pairs([0, 1, 2], window=1) pairs each position only with the positions after it: the '
            'context is on both sides, from i - window to i + window'
        ),
        'skipgram_pairs_edges': (
            'skipgram_pairs([1, 2], window=10) pairs each position only with the positions after it: the '
            'context is on both sides, from i - window to i + window'
        ),
        'skipgram_pairs_order': (
            'skipgram_pairs([10, 11, 12, 13, 14, 15], window=2) pairs each position only with the positions '
            'after it: the context is on both sides, from i - window to i + window'
        ),
        'skipgram_pairs_tensor_input': (
            'skipgram_pairs(an int64 tensor [4, 0, 2], window=1) pairs each position only with the positions '
            'after it: the context is on both sides, from i - window to i + window'
        ),
        'skipgram_pairs_token_ids': (
            'skipgram_pairs([7, 7, 3, 7], window=1) pairs each position only with the positions after it: the'
            ' context is on both sides, from i - window to i + window'
        ),
    },
    'wrong_no_window_check': {
        'skipgram_pairs_window_error': (
            'skipgram_pairs with window=0 should raise ValueError, but raised no exception'
        ),
    },
}


def correct_ranges(token_ids, window):
    if window < 1:
        raise ValueError("window must be at least 1")
    ids = [int(t) for t in token_ids]
    pairs = []
    for i in range(len(ids)):
        for j in range(max(0, i - window), min(len(ids), i + window + 1)):
            if j != i:
                pairs.append((ids[i], ids[j]))
    return pairs


def correct_comprehension(token_ids, window):
    if not window >= 1:
        raise ValueError(f"window={window}, expected >= 1")
    ids = token_ids.tolist() if isinstance(token_ids, torch.Tensor) else list(token_ids)
    n = len(ids)
    return [(ids[i], ids[j]) for i in range(n) for j in range(n) if 0 < abs(i - j) <= window]


def correct_offsets(token_ids, window):
    if window <= 0:
        raise ValueError("window must be positive")
    ids = np.asarray(token_ids, dtype=np.int64).tolist()
    pairs = []
    for i, center in enumerate(ids):
        for offset in list(range(-window, 0)) + list(range(1, window + 1)):
            j = i + offset
            if 0 <= j < len(ids):
                pairs.append((center, ids[j]))
    return pairs


def wrong_includes_self(token_ids, window):
    """Pairs each position with itself too (j == i is kept)."""
    if window < 1:
        raise ValueError("window must be at least 1")
    ids = [int(t) for t in token_ids]
    return [(ids[i], ids[j]) for i in range(len(ids))
            for j in range(max(0, i - window), min(len(ids), i + window + 1))]


def wrong_nearest_first(token_ids, window):
    """Lists context positions nearest first (i-1, i+1, i-2, ...) instead of ascending."""
    if window < 1:
        raise ValueError("window must be at least 1")
    ids = [int(t) for t in token_ids]
    pairs = []
    for i in range(len(ids)):
        for distance in range(1, window + 1):  # i-1, i+1, i-2, i+2: nearest first
            for j in (i - distance, i + distance):
                if 0 <= j < len(ids):
                    pairs.append((ids[i], ids[j]))
    return pairs


def wrong_positions(token_ids, window):
    """Pairs positions (i, j) instead of the token ids at those positions."""
    if window < 1:
        raise ValueError("window must be at least 1")
    n = len(token_ids)
    return [(i, j) for i in range(n) for j in range(n) if 0 < abs(i - j) <= window]


def wrong_tensor_items(token_ids, window):
    """Indexes a tensor and keeps the 0-dim tensors instead of Python ints."""
    if window < 1:
        raise ValueError("window must be at least 1")
    n = len(token_ids)
    return [(token_ids[i], token_ids[j]) for i in range(n) for j in range(n) if 0 < abs(i - j) <= window]


def wrong_right_only(token_ids, window):
    """Only looks to the right of each position."""
    if window < 1:
        raise ValueError("window must be at least 1")
    ids = [int(t) for t in token_ids]
    return [(ids[i], ids[j]) for i in range(len(ids)) for j in range(i + 1, min(len(ids), i + window + 1))]


def wrong_no_window_check(token_ids, window):
    """Never checks window: window < 1 silently gives []."""
    ids = [int(t) for t in token_ids]
    return [(ids[i], ids[j]) for i in range(len(ids)) for j in range(len(ids)) if 0 < abs(i - j) <= window]
