"""a4_training variants: ``<function>__<variant>``; see CORRECT and WRONG at the end."""
import numpy as np
import torch
import torch.nn.functional as F


# --- skipgram_pairs: correct -------------------------------------------------------

def skipgram_pairs__ranges(token_ids, window):
    if window < 1:
        raise ValueError("window must be at least 1")
    ids = [int(t) for t in token_ids]
    pairs = []
    for i in range(len(ids)):
        for j in range(max(0, i - window), min(len(ids), i + window + 1)):
            if j != i:
                pairs.append((ids[i], ids[j]))
    return pairs


def skipgram_pairs__comprehension(token_ids, window):
    if not window >= 1:
        raise ValueError(f"window={window}, expected >= 1")
    ids = token_ids.tolist() if isinstance(token_ids, torch.Tensor) else list(token_ids)
    n = len(ids)
    return [(ids[i], ids[j]) for i in range(n) for j in range(n) if 0 < abs(i - j) <= window]


def skipgram_pairs__offsets(token_ids, window):
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


# --- skipgram_pairs: wrong ---------------------------------------------------------

def skipgram_pairs__includes_self(token_ids, window):
    if window < 1:
        raise ValueError("window must be at least 1")
    ids = [int(t) for t in token_ids]
    return [(ids[i], ids[j]) for i in range(len(ids))
            for j in range(max(0, i - window), min(len(ids), i + window + 1))]  # (i, i) too


def skipgram_pairs__nearest_first(token_ids, window):
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


def skipgram_pairs__positions(token_ids, window):
    if window < 1:
        raise ValueError("window must be at least 1")
    n = len(token_ids)
    return [(i, j) for i in range(n) for j in range(n) if 0 < abs(i - j) <= window]  # positions, not ids


def skipgram_pairs__tensor_items(token_ids, window):
    if window < 1:
        raise ValueError("window must be at least 1")
    n = len(token_ids)
    return [(token_ids[i], token_ids[j]) for i in range(n) for j in range(n) if 0 < abs(i - j) <= window]


def skipgram_pairs__right_only(token_ids, window):
    if window < 1:
        raise ValueError("window must be at least 1")
    ids = [int(t) for t in token_ids]
    return [(ids[i], ids[j]) for i in range(len(ids)) for j in range(i + 1, min(len(ids), i + window + 1))]


def skipgram_pairs__no_window_check(token_ids, window):
    ids = [int(t) for t in token_ids]
    return [(ids[i], ids[j]) for i in range(len(ids)) for j in range(len(ids)) if 0 < abs(i - j) <= window]


# --- negative_sampling_loss: correct -----------------------------------------------

def negative_sampling_loss__logsigmoid(center, context, negatives):
    positive = F.logsigmoid((center * context).sum(-1))
    negative = F.logsigmoid(-torch.bmm(negatives, center.unsqueeze(-1)).squeeze(-1)).sum(-1)
    return -(positive + negative).mean()


def negative_sampling_loss__softplus(center, context, negatives):
    # -log σ(x) = softplus(-x)
    positive = F.softplus(-torch.einsum("bd,bd->b", center, context))
    negative = F.softplus(torch.einsum("bd,bkd->bk", center, negatives)).sum(dim=1)
    return (positive + negative).mean()


def negative_sampling_loss__bce_with_logits(center, context, negatives):
    scores = torch.cat([(center * context).sum(-1, keepdim=True),
                        (negatives * center[:, None, :]).sum(-1)], dim=1)  # (B, 1 + K)
    targets = torch.zeros_like(scores)
    targets[:, 0] = 1.0
    per_score = F.binary_cross_entropy_with_logits(scores, targets, reduction="none")
    return per_score.sum(dim=1).mean()


# --- negative_sampling_loss: wrong -------------------------------------------------

def negative_sampling_loss__log_of_sigmoid(center, context, negatives):
    positive = torch.log(torch.sigmoid((center * context).sum(-1)))  # log(0) = -inf for large dots
    negative = torch.log(torch.sigmoid(-torch.einsum("bd,bkd->bk", center, negatives))).sum(-1)
    return -(positive + negative).mean()


def negative_sampling_loss__sign_of_negatives(center, context, negatives):
    positive = F.logsigmoid((center * context).sum(-1))
    negative = F.logsigmoid(torch.einsum("bd,bkd->bk", center, negatives)).sum(-1)  # forgot the minus
    return -(positive + negative).mean()


def negative_sampling_loss__mean_over_negatives(center, context, negatives):
    positive = F.logsigmoid((center * context).sum(-1))
    negative = F.logsigmoid(-torch.einsum("bd,bkd->bk", center, negatives)).mean(-1)  # mean, not sum, over K
    return -(positive + negative).mean()


def negative_sampling_loss__sum_over_batch(center, context, negatives):
    positive = F.logsigmoid((center * context).sum(-1))
    negative = F.logsigmoid(-torch.einsum("bd,bkd->bk", center, negatives)).sum(-1)
    return -(positive + negative).sum()  # sum over the batch


def negative_sampling_loss__python_float(center, context, negatives):
    positive = F.logsigmoid((center * context).sum(-1))
    negative = F.logsigmoid(-torch.einsum("bd,bkd->bk", center, negatives)).sum(-1)
    return torch.tensor(-(positive + negative).mean().item())  # cut from the graph


def negative_sampling_loss__numpy(center, context, negatives):
    c, o, n = (t.detach().numpy().astype(np.float32) for t in (center, context, negatives))
    positive = -np.logaddexp(0.0, -(c * o).sum(-1))
    negative = -np.logaddexp(0.0, np.einsum("bd,bkd->bk", c, n)).sum(-1)
    return torch.from_numpy(np.asarray(-(positive + negative).mean(), dtype=np.float32))  # no gradient


# --- masked_mean_pool: correct -----------------------------------------------------

def masked_mean_pool__multiply(vectors, mask):
    weights = mask.unsqueeze(-1).to(vectors.dtype)
    return (vectors * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)


def masked_mean_pool__loop(vectors, mask):
    rows = []
    for row_vectors, row_mask in zip(vectors, mask):
        if row_mask.any():
            rows.append(row_vectors[row_mask].mean(dim=0))
        else:
            rows.append(torch.zeros(vectors.shape[-1], dtype=vectors.dtype))
    return torch.stack(rows)


def masked_mean_pool__einsum_nan_to_num(vectors, mask):
    weights = mask.to(vectors.dtype)
    total = torch.einsum("bl,bld->bd", weights, vectors)
    return torch.nan_to_num(total / weights.sum(dim=1, keepdim=True), nan=0.0)  # 0/0 -> 0


# --- masked_mean_pool: wrong -------------------------------------------------------

def masked_mean_pool__divides_by_length(vectors, mask):
    weights = mask.unsqueeze(-1).to(vectors.dtype)
    return (vectors * weights).sum(dim=1) / vectors.shape[1]  # counts padding in the mean


def masked_mean_pool__ignores_mask(vectors, mask):
    return vectors.mean(dim=1)


def masked_mean_pool__nan_for_empty_rows(vectors, mask):
    weights = mask.unsqueeze(-1).to(vectors.dtype)
    return (vectors * weights).sum(dim=1) / weights.sum(dim=1)  # 0 / 0 for an all-False row


def masked_mean_pool__prefix_lengths(vectors, mask):
    lengths = mask.sum(dim=1)
    rows = []
    for row, n in zip(vectors, lengths.tolist()):
        rows.append(row[:n].mean(dim=0) if n else torch.zeros(vectors.shape[-1], dtype=vectors.dtype))
    return torch.stack(rows)  # assumes the True positions come first


def masked_mean_pool__zeroes_padding_in_place(vectors, mask):
    vectors[~mask] = 0.0  # changes the caller's tensor
    return vectors.sum(dim=1) / mask.sum(dim=1, keepdim=True).clamp(min=1)


def masked_mean_pool__float32_always(vectors, mask):
    weights = mask.unsqueeze(-1).float()
    return (vectors.float() * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)


CORRECT = {
    "skipgram_pairs": ["skipgram_pairs__ranges", "skipgram_pairs__comprehension", "skipgram_pairs__offsets"],
    "negative_sampling_loss": ["negative_sampling_loss__logsigmoid", "negative_sampling_loss__softplus",
                               "negative_sampling_loss__bce_with_logits"],
    "masked_mean_pool": ["masked_mean_pool__multiply", "masked_mean_pool__loop",
                         "masked_mean_pool__einsum_nan_to_num"],
}
WRONG = {
    "skipgram_pairs": ["skipgram_pairs__includes_self", "skipgram_pairs__nearest_first", "skipgram_pairs__positions",
                       "skipgram_pairs__tensor_items", "skipgram_pairs__right_only",
                       "skipgram_pairs__no_window_check"],
    "negative_sampling_loss": ["negative_sampling_loss__log_of_sigmoid", "negative_sampling_loss__sign_of_negatives",
                               "negative_sampling_loss__mean_over_negatives", "negative_sampling_loss__sum_over_batch",
                               "negative_sampling_loss__python_float", "negative_sampling_loss__numpy"],
    "masked_mean_pool": ["masked_mean_pool__divides_by_length", "masked_mean_pool__ignores_mask",
                         "masked_mean_pool__nan_for_empty_rows", "masked_mean_pool__prefix_lengths",
                         "masked_mean_pool__zeroes_padding_in_place", "masked_mean_pool__float32_always"],
}
