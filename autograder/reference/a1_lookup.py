"""Reference solutions for a1_lookup (see the shared course-spec).

The hidden checks run every probe on these functions and on the student's, and
compare the two recordings; the source notebook's solution cells hold the same code.
The quiz answers (the key) live here and nowhere in what students receive.
"""
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
    ids = []
    for ch in text:
        if ch.isspace():
            continue
        if ch not in vocab:
            raise KeyError(f"character {ch!r} is not in the vocabulary")
        ids.append(vocab[ch])
    return torch.tensor(ids, dtype=torch.int64)


def one_hot(indices, vocab_size: int) -> torch.Tensor:
    if vocab_size < 1:
        raise ValueError(f"vocab_size must be at least 1, got {vocab_size}")
    # A list, an int64 or an int32 tensor all become one int64 index vector.
    idx = torch.as_tensor(indices, dtype=torch.int64).reshape(-1)
    if idx.numel() and (idx.min() < 0 or idx.max() >= vocab_size):
        raise ValueError(f"every index must be in 0..{vocab_size - 1}")
    out = torch.zeros(idx.numel(), vocab_size, dtype=torch.float32)
    out[torch.arange(idx.numel()), idx] = 1.0
    return out


def lookup(weight: torch.Tensor, indices) -> torch.Tensor:
    # Indexing with an int64 tensor picks rows and keeps the autograd graph.
    return weight[torch.as_tensor(indices, dtype=torch.int64)]


def lookup_via_one_hot(weight: torch.Tensor, indices) -> torch.Tensor:
    # one_hot is float32; cast it so a float64 weight gives a float64 result.
    return one_hot(indices, weight.shape[0]).to(weight.dtype) @ weight


# Quiz key (letters as shown in the notebook).
quiz_weight_shape = "c"       # nn.Embedding(5, 3).weight has shape (5, 3)
quiz_one_hot_nonzeros = "b"   # exactly one non-zero entry, whatever the vocabulary size
quiz_one_hot_times_w = "d"    # one_hot(i) @ W selects row i of W
quiz_lookup_row = "a"         # in 北京欢迎你, 迎 has index 3: row 3
