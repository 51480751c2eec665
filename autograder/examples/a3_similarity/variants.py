"""a3_similarity variants: ``<function>__<variant>``; see CORRECT and WRONG at the end."""
import math

import numpy as np
import torch
import torch.nn.functional as F


# --- cosine_similarity: correct ----------------------------------------------------

def cosine_similarity__formula(a, b, eps=1e-8):
    if a.shape != b.shape:
        raise ValueError("a and b must have the same length")
    return (a @ b) / torch.clamp(a.norm() * b.norm(), min=eps)


def cosine_similarity__functional(a, b, eps=1e-8):
    if len(a) != len(b):
        raise ValueError(f"lengths differ: {len(a)} and {len(b)}")
    return F.cosine_similarity(a, b, dim=0, eps=eps)


def cosine_similarity__loop(a, b, eps=1e-8):
    if a.numel() != b.numel():
        raise ValueError("different lengths")
    dot = sum(x * y for x, y in zip(a, b))
    norm_a = math.sqrt(sum(float(x) ** 2 for x in a))
    norm_b = math.sqrt(sum(float(y) ** 2 for y in b))
    return torch.as_tensor(dot, dtype=a.dtype) / max(norm_a * norm_b, eps)


# --- cosine_similarity: wrong ------------------------------------------------------

def cosine_similarity__dot_only(a, b, eps=1e-8):
    if a.shape != b.shape:
        raise ValueError("a and b must have the same length")
    return torch.dot(a, b)  # forgets to divide by the lengths


def cosine_similarity__nan_for_zero(a, b, eps=1e-8):
    if a.shape != b.shape:
        raise ValueError("a and b must have the same length")
    return torch.dot(a, b) / (a.norm() * b.norm())  # 0 / 0 is NaN


def cosine_similarity__torch_error(a, b, eps=1e-8):
    return torch.dot(a, b) / torch.clamp(a.norm() * b.norm(), min=eps)  # relies on torch's RuntimeError


def cosine_similarity__squared_norms(a, b, eps=1e-8):
    if a.shape != b.shape:
        raise ValueError("a and b must have the same length")
    return torch.dot(a, b) / torch.clamp((a * a).sum() * (b * b).sum(), min=eps)  # forgets the square roots


def cosine_similarity__python_float(a, b, eps=1e-8):
    if a.shape != b.shape:
        raise ValueError("a and b must have the same length")
    return (torch.dot(a, b) / torch.clamp(a.norm() * b.norm(), min=eps)).item()  # not a tensor


def cosine_similarity__normalises_in_place(a, b, eps=1e-8):
    if a.shape != b.shape:
        raise ValueError("a and b must have the same length")
    a /= torch.clamp(a.norm(), min=eps)  # changes the caller's vector
    b /= torch.clamp(b.norm(), min=eps)
    return torch.dot(a, b)


# --- cosine_matrix: correct --------------------------------------------------------

def cosine_matrix__normalise_rows(vectors):
    norms = vectors.norm(dim=1, keepdim=True)
    return (vectors @ vectors.T) / torch.clamp(norms * norms.T, min=1e-8)


def cosine_matrix__broadcast_functional(vectors):
    return F.cosine_similarity(vectors[:, None, :], vectors[None, :, :], dim=-1)


def cosine_matrix__loops(vectors):
    n = vectors.shape[0]
    out = torch.zeros(n, n, dtype=vectors.dtype)
    for i in range(n):
        for j in range(n):
            denominator = max(vectors[i].norm().item() * vectors[j].norm().item(), 1e-8)
            out[i, j] = torch.dot(vectors[i], vectors[j]) / denominator
    return out


# --- cosine_matrix: wrong ----------------------------------------------------------

def cosine_matrix__ones_on_diagonal(vectors):
    norms = vectors.norm(dim=1, keepdim=True)
    out = (vectors @ vectors.T) / torch.clamp(norms * norms.T, min=1e-8)
    return out.fill_diagonal_(1.0)  # "a vector is always identical to itself", even a zero one


def cosine_matrix__normalise_columns(vectors):
    unit = vectors / torch.clamp(vectors.norm(dim=0, keepdim=True), min=1e-8)  # wrong axis
    return unit @ unit.T


def cosine_matrix__dot_products(vectors):
    return vectors @ vectors.T  # a Gram matrix, not cosines


def cosine_matrix__nan_for_zero_rows(vectors):
    unit = vectors / vectors.norm(dim=1, keepdim=True)  # 0 / 0 for a zero row
    return unit @ unit.T


def cosine_matrix__numpy_float64(vectors):
    array = vectors.numpy().astype(np.float64)
    norms = np.maximum(np.linalg.norm(array, axis=1, keepdims=True), 1e-8)
    unit = array / norms
    return torch.from_numpy(unit @ unit.T)  # always float64


def cosine_matrix__in_place(vectors):
    vectors /= torch.clamp(vectors.norm(dim=1, keepdim=True), min=1e-8)  # changes the caller's tensor
    return vectors @ vectors.T


# --- most_similar: correct ---------------------------------------------------------

def most_similar__sorted(token, vocab, weight, k=3):
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


def most_similar__stable_torch_sort(token, vocab, weight, k=3):
    if k < 1:
        raise ValueError(f"k={k}")
    row = vocab[token]
    unit = weight / torch.clamp(weight.norm(dim=1, keepdim=True), min=1e-8)
    similarities = unit @ unit[row]
    similarities[row] = -math.inf
    order = torch.sort(similarities, descending=True, stable=True).indices
    by_index = {index: tok for tok, index in vocab.items()}
    return [(by_index[i], similarities[i].item()) for i in order.tolist()[: min(k, len(vocab) - 1)]]


def most_similar__heap(token, vocab, weight, k=3):
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


# --- most_similar: wrong -----------------------------------------------------------

def most_similar__dot_product(token, vocab, weight, k=3):
    if k < 1:
        raise ValueError("k must be at least 1")
    scores = [(t, torch.dot(weight[vocab[token]], weight[i]).item()) for t, i in vocab.items() if t != token]
    return sorted(scores, key=lambda pair: pair[1], reverse=True)[:k]  # long vectors win


def most_similar__skips_first(token, vocab, weight, k=3):
    if k < 1:
        raise ValueError("k must be at least 1")
    query = weight[vocab[token]]
    scores = [(t, F.cosine_similarity(query, weight[i], dim=0).item()) for t, i in vocab.items()]
    scores.sort(key=lambda pair: pair[1], reverse=True)
    return scores[1:k + 1]  # assumes the token itself always comes first


def most_similar__ties_reversed(token, vocab, weight, k=3):
    if k < 1:
        raise ValueError("k must be at least 1")
    query = weight[vocab[token]]
    scores = [(F.cosine_similarity(query, weight[i], dim=0).item(), i, t) for t, i in vocab.items() if t != token]
    scores.sort(reverse=True)  # ties go to the *larger* index
    return [(t, s) for s, i, t in scores[:k]]


def most_similar__tensor_scores(token, vocab, weight, k=3):
    if k < 1:
        raise ValueError("k must be at least 1")
    query = weight[vocab[token]]
    scores = [(t, F.cosine_similarity(query, weight[i], dim=0)) for t, i in vocab.items() if t != token]
    scores.sort(key=lambda pair: pair[1].item(), reverse=True)
    return scores[:k]  # similarities left as tensors


def most_similar__no_k_check(token, vocab, weight, k=3):
    query = weight[vocab[token]]
    scores = [(t, F.cosine_similarity(query, weight[i], dim=0).item()) for t, i in vocab.items() if t != token]
    scores.sort(key=lambda pair: pair[1], reverse=True)
    return scores[:k]  # k=0 gives [], k=-2 drops the last two


def most_similar__k_capped_wrongly(token, vocab, weight, k=3):
    if k < 1:
        raise ValueError("k must be at least 1")
    query = weight[vocab[token]]
    scores = [(t, F.cosine_similarity(query, weight[i], dim=0).item()) for t, i in vocab.items() if t != token]
    scores.sort(key=lambda pair: pair[1], reverse=True)
    return scores[:min(k, len(vocab) - 2)]  # off by one: drops a neighbour when k >= V


# --- sentence_vector: correct ------------------------------------------------------

def sentence_vector__index(text, vocab, weight, reduce="sum"):
    if reduce not in ("sum", "mean"):
        raise ValueError("reduce must be 'sum' or 'mean'")
    ids = [vocab[ch] for ch in text if not ch.isspace()]
    rows = weight[torch.tensor(ids, dtype=torch.long)]
    if reduce == "sum":
        return rows.sum(dim=0)
    return rows.sum(dim=0) / max(len(ids), 1)


def sentence_vector__loop(text, vocab, weight, reduce="sum"):
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


def sentence_vector__one_hot_counts(text, vocab, weight, reduce="sum"):
    if reduce not in {"sum", "mean"}:
        raise ValueError("reduce must be sum or mean")
    chars = "".join(text.split())
    counts = torch.zeros(weight.shape[0], dtype=weight.dtype)
    for ch in chars:
        counts[vocab[ch]] += 1
    if reduce == "mean" and chars:
        counts = counts / len(chars)
    return counts @ weight


# --- sentence_vector: wrong --------------------------------------------------------

def sentence_vector__mean_counts_spaces(text, vocab, weight, reduce="sum"):
    if reduce not in ("sum", "mean"):
        raise ValueError("reduce must be 'sum' or 'mean'")
    ids = [vocab[ch] for ch in text if not ch.isspace()]
    total = weight[torch.tensor(ids, dtype=torch.long)].sum(dim=0)
    return total / max(len(text), 1) if reduce == "mean" else total  # divides by len(text), spaces included


def sentence_vector__nan_when_empty(text, vocab, weight, reduce="sum"):
    if reduce not in ("sum", "mean"):
        raise ValueError("reduce must be 'sum' or 'mean'")
    rows = weight[torch.tensor([vocab[ch] for ch in text if not ch.isspace()], dtype=torch.long)]
    return rows.sum(dim=0) if reduce == "sum" else rows.mean(dim=0)  # mean of nothing is NaN


def sentence_vector__space_only(text, vocab, weight, reduce="sum"):
    if reduce not in ("sum", "mean"):
        raise ValueError("reduce must be 'sum' or 'mean'")
    ids = [vocab[ch] for ch in text.replace(" ", "")]  # skips ' ' but not tabs or newlines
    rows = weight[torch.tensor(ids, dtype=torch.long)]
    if not ids:
        return torch.zeros(weight.shape[1], dtype=weight.dtype)
    return rows.sum(dim=0) if reduce == "sum" else rows.mean(dim=0)


def sentence_vector__any_other_reduce_is_mean(text, vocab, weight, reduce="sum"):
    ids = [vocab[ch] for ch in text if not ch.isspace()]
    if not ids:
        return torch.zeros(weight.shape[1], dtype=weight.dtype)
    rows = weight[torch.tensor(ids, dtype=torch.long)]
    return rows.sum(dim=0) if reduce == "sum" else rows.mean(dim=0)  # no ValueError


def sentence_vector__unique_characters(text, vocab, weight, reduce="sum"):
    if reduce not in ("sum", "mean"):
        raise ValueError("reduce must be 'sum' or 'mean'")
    ids = sorted({vocab[ch] for ch in text if not ch.isspace()})  # a repeated character counted once
    if not ids:
        return torch.zeros(weight.shape[1], dtype=weight.dtype)
    rows = weight[torch.tensor(ids, dtype=torch.long)]
    return rows.sum(dim=0) if reduce == "sum" else rows.mean(dim=0)


def sentence_vector__float32_zeros(text, vocab, weight, reduce="sum"):
    if reduce not in ("sum", "mean"):
        raise ValueError("reduce must be 'sum' or 'mean'")
    ids = [vocab[ch] for ch in text if not ch.isspace()]
    if not ids:
        return torch.zeros(weight.shape[1])  # float32 whatever the weight's dtype
    rows = weight[torch.tensor(ids, dtype=torch.long)]
    return rows.sum(dim=0) if reduce == "sum" else rows.mean(dim=0)


CORRECT = {
    "cosine_similarity": ["cosine_similarity__formula", "cosine_similarity__functional", "cosine_similarity__loop"],
    "cosine_matrix": ["cosine_matrix__normalise_rows", "cosine_matrix__broadcast_functional", "cosine_matrix__loops"],
    "most_similar": ["most_similar__sorted", "most_similar__stable_torch_sort", "most_similar__heap"],
    "sentence_vector": ["sentence_vector__index", "sentence_vector__loop", "sentence_vector__one_hot_counts"],
}
WRONG = {
    "cosine_similarity": ["cosine_similarity__dot_only", "cosine_similarity__nan_for_zero",
                          "cosine_similarity__torch_error", "cosine_similarity__squared_norms",
                          "cosine_similarity__python_float", "cosine_similarity__normalises_in_place"],
    "cosine_matrix": ["cosine_matrix__ones_on_diagonal", "cosine_matrix__normalise_columns",
                      "cosine_matrix__dot_products", "cosine_matrix__nan_for_zero_rows",
                      "cosine_matrix__numpy_float64", "cosine_matrix__in_place"],
    "most_similar": ["most_similar__dot_product", "most_similar__skips_first", "most_similar__ties_reversed",
                     "most_similar__tensor_scores", "most_similar__no_k_check", "most_similar__k_capped_wrongly"],
    "sentence_vector": ["sentence_vector__mean_counts_spaces", "sentence_vector__nan_when_empty",
                        "sentence_vector__space_only", "sentence_vector__any_other_reduce_is_mean",
                        "sentence_vector__unique_characters", "sentence_vector__float32_zeros"],
}
