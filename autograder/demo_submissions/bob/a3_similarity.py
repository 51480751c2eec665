"""Bob's a3_similarity: the formula is right, the corners are not.

- cosine_similarity divides by the product of the norms with no floor, so a zero
  vector gives NaN; vectors of different lengths raise torch's RuntimeError, not
  the ValueError the instructions ask for;
- cosine_matrix normalises each row first (zero rows stay zero): right;
- most_similar breaks ties alphabetically by token, not by vocabulary index;
- sentence_vector is right.
"""
import torch
import torch.nn.functional as F


def cosine_similarity(a, b, eps=1e-8):
    return (a @ b) / (a.norm() * b.norm())


def cosine_matrix(vectors):
    unit = F.normalize(vectors, dim=1)
    return unit @ unit.T


def most_similar(token, vocab, weight, k=3):
    if k < 1:
        raise ValueError("k must be at least 1")
    query = weight[vocab[token]]
    sims = F.cosine_similarity(weight, query.unsqueeze(0), dim=1)
    others = [(tok, i) for tok, i in vocab.items() if tok != token]
    ranked = sorted(others, key=lambda item: (-sims[item[1]].item(), item[0]))
    return [(tok, sims[i].item()) for tok, i in ranked[:k]]


def sentence_vector(text, vocab, weight, reduce="sum"):
    if reduce not in ("sum", "mean"):
        raise ValueError("reduce must be 'sum' or 'mean'")
    rows = [weight[vocab[ch]] for ch in text if not ch.isspace()]
    if not rows:
        return torch.zeros(weight.shape[1], dtype=weight.dtype)
    total = torch.stack(rows).sum(dim=0)
    return total if reduce == "sum" else total / len(rows)


quiz_scaled_vector = "b"
quiz_zero_vector = "a"
quiz_sum_or_mean = "a"
