"""Reference solutions for a1_lookup (see shared course-spec)."""
from __future__ import annotations

import torch


def build_vocab(text: str) -> dict[str, int]:
    if not isinstance(text, str):
        raise TypeError(f"build_vocab expects a str, got {type(text).__name__}")
    vocab: dict[str, int] = {}
    for ch in text:
        if not ch.isspace() and ch not in vocab:
            vocab[ch] = len(vocab)
    return vocab


def encode(text: str, vocab: dict[str, int]) -> torch.Tensor:
    ids = [vocab[ch] for ch in text if not ch.isspace()]
    return torch.tensor(ids, dtype=torch.int64)


def _as_index_tensor(indices) -> torch.Tensor:
    return torch.as_tensor(indices, dtype=torch.int64).reshape(-1)


def one_hot(indices, vocab_size: int) -> torch.Tensor:
    if vocab_size < 1:
        raise ValueError(f"vocab_size must be at least 1, got {vocab_size}")
    idx = _as_index_tensor(indices)
    if idx.numel() and (idx.min() < 0 or idx.max() >= vocab_size):
        raise ValueError(f"every index must be in 0..{vocab_size - 1}")
    out = torch.zeros(idx.numel(), vocab_size, dtype=torch.float32)
    out[torch.arange(idx.numel()), idx] = 1.0
    return out


def lookup(weight: torch.Tensor, indices) -> torch.Tensor:
    return weight[_as_index_tensor(indices)]


def lookup_via_one_hot(weight: torch.Tensor, indices) -> torch.Tensor:
    return one_hot(indices, weight.shape[0]).to(weight.dtype) @ weight
