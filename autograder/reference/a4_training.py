"""Reference solutions for a4_training (see shared course-spec)."""
from __future__ import annotations

import torch


def skipgram_pairs(token_ids, window: int) -> list[tuple[int, int]]:
    if window < 1:
        raise ValueError(f"window must be at least 1, got {window}")
    ids = [int(t) for t in token_ids]
    pairs = []
    for i, center in enumerate(ids):
        for j in range(max(0, i - window), min(len(ids), i + window + 1)):
            if j != i:
                pairs.append((center, ids[j]))
    return pairs


def negative_sampling_loss(center: torch.Tensor, context: torch.Tensor, negatives: torch.Tensor) -> torch.Tensor:
    positive = (center * context).sum(dim=-1)                       # (B,)
    negative = torch.einsum("bd,bkd->bk", center, negatives)        # (B, K)
    # logsigmoid stays finite where log(sigmoid(x)) underflows to log(0).
    per_example = -torch.nn.functional.logsigmoid(positive) - torch.nn.functional.logsigmoid(-negative).sum(dim=-1)
    return per_example.mean()


def masked_mean_pool(vectors: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    weights = mask.to(vectors.dtype).unsqueeze(-1)                  # (B, L, 1)
    # where() rather than multiplying, so even inf/NaN padding cannot leak in.
    total = torch.where(weights.bool(), vectors, torch.zeros((), dtype=vectors.dtype)).sum(dim=1)
    count = weights.sum(dim=1).clamp(min=1)
    return total / count


# Quiz key and the phone-model exercise (never in the student version).
quiz_pair_count = "c"
quiz_why_together = "b"
quiz_sentiment_apart = "d"
quiz_phone_parameters = "b"
# 500 phone models, a batch of 1024 rows, 12 dimensions, float32 (4 bytes) and int64 (8 bytes) ids.
phone_one_hot_bytes = 1024 * 500 * 4
phone_embedding_bytes = 1024 * 12 * 4
