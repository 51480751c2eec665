"""Reference solutions for a3_similarity (see shared course-spec)."""
from __future__ import annotations

import torch


def cosine_similarity(a: torch.Tensor, b: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same length, got {tuple(a.shape)} and {tuple(b.shape)}")
    denominator = torch.clamp(torch.linalg.vector_norm(a) * torch.linalg.vector_norm(b), min=eps)
    return torch.dot(a, b) / denominator


def cosine_matrix(vectors: torch.Tensor) -> torch.Tensor:
    norms = torch.linalg.vector_norm(vectors, dim=1)
    return (vectors @ vectors.T) / torch.clamp(torch.outer(norms, norms), min=1e-8)


def most_similar(token: str, vocab: dict[str, int], weight: torch.Tensor, k: int = 3) -> list[tuple[str, float]]:
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if token not in vocab:
        raise KeyError(token)
    query = weight[vocab[token]]
    norms = torch.linalg.vector_norm(weight, dim=1) * torch.linalg.vector_norm(query)
    similarities = (weight @ query) / torch.clamp(norms, min=1e-8)
    others = [(tok, i) for tok, i in vocab.items() if tok != token]
    # Highest similarity first; equal similarities in vocabulary order.
    others.sort(key=lambda pair: (-similarities[pair[1]].item(), pair[1]))
    return [(tok, similarities[i].item()) for tok, i in others[:k]]


def sentence_vector(text: str, vocab: dict[str, int], weight: torch.Tensor, reduce: str = "sum") -> torch.Tensor:
    if reduce not in ("sum", "mean"):
        raise ValueError(f"reduce must be 'sum' or 'mean', got {reduce!r}")
    ids = [vocab[ch] for ch in text if not ch.isspace()]
    if not ids:
        return torch.zeros(weight.shape[1], dtype=weight.dtype)
    rows = weight[torch.tensor(ids, dtype=torch.int64)]
    return rows.sum(dim=0) if reduce == "sum" else rows.mean(dim=0)


# Quiz key (never in the student version).
quiz_scaled_vector = "b"
quiz_zero_vector = "c"
quiz_sum_or_mean = "a"
