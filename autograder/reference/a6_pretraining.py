"""Reference solutions for a6_pretraining (see shared course-spec)."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def mask_tokens(ids: torch.Tensor, special: torch.Tensor, u_select: torch.Tensor, u_action: torch.Tensor,
                random_ids: torch.Tensor, mask_id: int, p: float = 0.15) -> tuple[torch.Tensor, torch.Tensor]:
    if not 0 <= p <= 1:  # False for NaN too
        raise ValueError(f"p must be within [0, 1], got {p}")
    for name, tensor in (("special", special), ("u_select", u_select), ("u_action", u_action),
                         ("random_ids", random_ids)):
        if tuple(tensor.shape) != tuple(ids.shape):
            raise ValueError(f"{name} has shape {tuple(tensor.shape)}, ids has {tuple(ids.shape)}")
    ids = ids.to(torch.int64)
    chosen = (u_select < p) & ~special
    # torch.where builds new tensors: the caller's ids are never written to.
    inputs = torch.where(chosen & (u_action < 0.8), torch.full_like(ids, mask_id), ids)
    inputs = torch.where(chosen & (u_action >= 0.8) & (u_action < 0.9), random_ids.to(torch.int64), inputs)
    labels = torch.where(chosen, ids, torch.full_like(ids, -100))
    return inputs, labels


def mlm_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    flat_logits = logits.reshape(-1, logits.shape[-1])
    flat_labels = labels.reshape(-1)
    # A sum over the labelled positions (cross_entropy skips -100) divided by their count:
    # with no labelled position the sum is 0.0, still attached to the logits, and never 0 / 0.
    total = F.cross_entropy(flat_logits, flat_labels, ignore_index=-100, reduction="sum")
    count = (flat_labels != -100).sum().clamp(min=1)
    return (total / count).to(logits.dtype)


def tied_logits(hidden: torch.Tensor, embedding: nn.Embedding, bias: torch.Tensor | None = None) -> torch.Tensor:
    weight = embedding.weight
    if hidden.shape[-1] != weight.shape[1]:
        raise ValueError(f"hidden has d = {hidden.shape[-1]}, the table's rows have d = {weight.shape[1]}")
    if hidden.dtype != weight.dtype:
        raise ValueError(f"hidden is {hidden.dtype}, the table is {weight.dtype}")
    # hidden @ weight.T (+ bias): the same rows that embed a token score it at the output.
    return F.linear(hidden, weight, bias)


def embed_with_positions(ids: torch.Tensor, token_embedding: nn.Embedding,
                         position_embedding: nn.Embedding) -> torch.Tensor:
    length = ids.shape[1]
    if length > position_embedding.num_embeddings:
        raise ValueError(f"{length} positions, but the position table has {position_embedding.num_embeddings} rows")
    if token_embedding.embedding_dim != position_embedding.embedding_dim:
        raise ValueError(f"the token table has d = {token_embedding.embedding_dim}, "
                         f"the position table d = {position_embedding.embedding_dim}")
    positions = torch.arange(length, device=ids.device)
    return token_embedding(ids) + position_embedding(positions)  # (B, L, d) + (L, d)


def copy_pretrained_rows(vocab: dict[str, int], pretrained_vocab: dict[str, int], pretrained: torch.Tensor,
                         init: torch.Tensor) -> tuple[torch.Tensor, list[str]]:
    if pretrained.shape[1] != init.shape[1]:
        raise ValueError(f"pretrained rows have d = {pretrained.shape[1]}, init rows d = {init.shape[1]}")
    if init.shape[0] != len(vocab):
        raise ValueError(f"init has {init.shape[0]} rows for a vocabulary of {len(vocab)} tokens")
    weight = init.detach().clone()  # new memory, no gradient history, init's dtype
    tokens = sorted(vocab, key=vocab.get)
    shared = [t for t in tokens if t in pretrained_vocab]
    if shared:
        rows = torch.tensor([vocab[t] for t in shared])
        weight[rows] = pretrained.detach()[torch.tensor([pretrained_vocab[t] for t in shared])].to(weight.dtype)
    return weight, [t for t in tokens if t not in pretrained_vocab]


# Quiz keys (never in the student version).
quiz_keep_some = "b"
quiz_tied_parameters = "c"
quiz_capital = "b"
quiz_same_row = "a"
quiz_frozen = "a"
