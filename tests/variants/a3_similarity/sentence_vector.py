"""sentence_vector variants (a3_similarity): correct ways written differently, and real misconceptions."""
import torch

EXPECTED_FAILURES = {
    'wrong_mean_counts_spaces': {'sentence_vector_whitespace'},
    'wrong_nan_when_empty': {'sentence_vector_empty'},
    'wrong_space_only': {'sentence_vector_empty', 'sentence_vector_whitespace'},
    'wrong_any_other_reduce_is_mean': {'sentence_vector_errors'},
    'wrong_unique_characters': {'sentence_vector_basic'},
    'wrong_float32_zeros': {'sentence_vector_dtype'},
}
# The exact feedback of every wrong variant: each message names the mistake and is true of it
# in every cell it fails (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    'wrong_mean_counts_spaces': {
        'sentence_vector_whitespace': (
            "sentence_vector(' 我爱\\t北京\\n', vocab, weight, reduce='mean') divides by len(text) = 7, "
            'whitespace included: a mean divides by the number of non-whitespace characters (4 here)'
        ),
    },
    'wrong_nan_when_empty': {
        'sentence_vector_empty': (
            "sentence_vector('', vocab, weight, reduce='mean') gave NaN: there are no rows to average (0 "
            '/ 0); return zeros of shape (d,) for a text without characters'
        ),
    },
    'wrong_space_only': {
        'sentence_vector_empty': (
            "sentence_vector('  \\n', vocab, weight, reduce='sum') raised KeyError: '\\n' -- every "
            'whitespace character is skipped, tabs and newlines included: test each character with '
            "ch.isspace() (text.replace(' ', '') and text.split(' ') keep tabs and newlines)"
        ),
        'sentence_vector_whitespace': (
            "sentence_vector(' 我爱\\t北京\\n', vocab, weight, reduce='sum') raised KeyError: '\\t' -- every "
            'whitespace character is skipped, tabs and newlines included: test each character with '
            "ch.isspace() (text.replace(' ', '') and text.split(' ') keep tabs and newlines)"
        ),
    },
    'wrong_any_other_reduce_is_mean': {
        'sentence_vector_errors': "sentence_vector with reduce='max' should raise ValueError, but raised no exception",
    },
    'wrong_unique_characters': {
        'sentence_vector_basic': (
            "sentence_vector('北京北京', vocab, weight) counts a repeated character once: each occurrence "
            'adds its row (北京北京 is 2 × the row of 北 + 2 × the row of 京)'
        ),
    },
    'wrong_float32_zeros': {
        'sentence_vector_dtype': (
            "sentence_vector('') with a float64 weight returned float32; it should keep the weight's "
            'dtype'
        ),
    },
}


def correct_index(text, vocab, weight, reduce="sum"):
    if reduce not in ("sum", "mean"):
        raise ValueError("reduce must be 'sum' or 'mean'")
    ids = [vocab[ch] for ch in text if not ch.isspace()]
    rows = weight[torch.tensor(ids, dtype=torch.long)]
    if reduce == "sum":
        return rows.sum(dim=0)
    return rows.sum(dim=0) / max(len(ids), 1)


def correct_loop(text, vocab, weight, reduce="sum"):
    if reduce != "sum" and reduce != "mean":
        raise ValueError(f"unknown reduce {reduce!r}")
    total = torch.zeros(weight.shape[1], dtype=weight.dtype)
    count = 0
    for ch in text:
        if ch.isspace():
            continue
        total = total + weight[vocab[ch]]
        count += 1
    if reduce == "mean" and count:
        total = total / count
    return total


def correct_one_hot_counts(text, vocab, weight, reduce="sum"):
    if reduce not in {"sum", "mean"}:
        raise ValueError("reduce must be sum or mean")
    chars = "".join(text.split())
    counts = torch.zeros(weight.shape[0], dtype=weight.dtype)
    for ch in chars:
        counts[vocab[ch]] += 1
    if reduce == "mean" and chars:
        counts = counts / len(chars)
    return counts @ weight


def wrong_mean_counts_spaces(text, vocab, weight, reduce="sum"):
    """The mean divides by len(text), whitespace included."""
    if reduce not in ("sum", "mean"):
        raise ValueError("reduce must be 'sum' or 'mean'")
    ids = [vocab[ch] for ch in text if not ch.isspace()]
    total = weight[torch.tensor(ids, dtype=torch.long)].sum(dim=0)
    return total / max(len(text), 1) if reduce == "mean" else total


def wrong_nan_when_empty(text, vocab, weight, reduce="sum"):
    """The mean of an empty text is NaN (mean of no rows)."""
    if reduce not in ("sum", "mean"):
        raise ValueError("reduce must be 'sum' or 'mean'")
    rows = weight[torch.tensor([vocab[ch] for ch in text if not ch.isspace()], dtype=torch.long)]
    return rows.sum(dim=0) if reduce == "sum" else rows.mean(dim=0)


def wrong_space_only(text, vocab, weight, reduce="sum"):
    """Skips ' ' only, not tabs or newlines (text.replace(' ', ''))."""
    if reduce not in ("sum", "mean"):
        raise ValueError("reduce must be 'sum' or 'mean'")
    ids = [vocab[ch] for ch in text.replace(" ", "")]  # skips ' ' but not tabs or newlines
    rows = weight[torch.tensor(ids, dtype=torch.long)]
    if not ids:
        return torch.zeros(weight.shape[1], dtype=weight.dtype)
    return rows.sum(dim=0) if reduce == "sum" else rows.mean(dim=0)


def wrong_any_other_reduce_is_mean(text, vocab, weight, reduce="sum"):
    """Treats any reduce other than 'sum' as 'mean' instead of raising ValueError."""
    ids = [vocab[ch] for ch in text if not ch.isspace()]
    if not ids:
        return torch.zeros(weight.shape[1], dtype=weight.dtype)
    rows = weight[torch.tensor(ids, dtype=torch.long)]
    return rows.sum(dim=0) if reduce == "sum" else rows.mean(dim=0)


def wrong_unique_characters(text, vocab, weight, reduce="sum"):
    """Counts each distinct character once (a set), so a repeated character counts once."""
    if reduce not in ("sum", "mean"):
        raise ValueError("reduce must be 'sum' or 'mean'")
    ids = sorted({vocab[ch] for ch in text if not ch.isspace()})  # a repeated character counted once
    if not ids:
        return torch.zeros(weight.shape[1], dtype=weight.dtype)
    rows = weight[torch.tensor(ids, dtype=torch.long)]
    return rows.sum(dim=0) if reduce == "sum" else rows.mean(dim=0)


def wrong_float32_zeros(text, vocab, weight, reduce="sum"):
    """Returns float32 zeros for an empty text whatever the weight's dtype."""
    if reduce not in ("sum", "mean"):
        raise ValueError("reduce must be 'sum' or 'mean'")
    ids = [vocab[ch] for ch in text if not ch.isspace()]
    if not ids:
        return torch.zeros(weight.shape[1])  # float32 whatever the weight's dtype
    rows = weight[torch.tensor(ids, dtype=torch.long)]
    return rows.sum(dim=0) if reduce == "sum" else rows.mean(dim=0)
