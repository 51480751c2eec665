"""Training loops for a4_training.

The functions you write are *not* here: every loop takes them as arguments
(``skipgram_pairs``, ``negative_sampling_loss``, ``masked_mean_pool``), so the
notebook trains with your code.

Both trainings are seeded (one ``torch.Generator`` drives initialisation and
sampling, so every run gives the same numbers), small (a few thousand
parameters) and run in well under a second on one CPU core.
"""
from __future__ import annotations

import contextlib
import csv
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import torch
import torch.nn.functional as F

CORPUS_PATH = Path(__file__).with_name("corpus.tsv")
NOISE_POWER = 0.75
# Enough room for the two kinds of similarity to come apart: with 4 numbers every
# character used in similar places is squeezed together (all cosines near 1), in the
# input vectors as in input + output, and the tables cannot show which is which.
DIM = 16
# Each character sees 3 neighbours on each side: most of a short sentence, so the
# slots a character fills weigh more than the one partner it is written with.
WINDOW = 3


@dataclass
class Corpus:
    """The labelled sentences and their character ids."""

    sentences: list[str]
    """Each sentence as written (Chinese characters, no spaces)."""
    labels: list[int]
    """Sentiment of each sentence: 1 positive, 0 negative."""
    vocab: dict[str, int]
    """Character -> row index (characters in sorted order)."""
    token_ids: list[list[int]] = field(repr=False)
    """Each sentence as a list of character ids."""


def load_corpus(path: str | Path = CORPUS_PATH) -> Corpus:
    """Read the label<TAB>sentence file; raise ValueError naming a bad line."""
    sentences, labels = [], []
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t")
        header = next(rows, None)
        if header != ["label", "sentence"]:
            raise ValueError(f"{path}: the first line must be 'label<TAB>sentence', got {header!r}")
        for line_number, row in enumerate(rows, start=2):
            if len(row) != 2 or row[0] not in ("0", "1") or not row[1].strip():
                raise ValueError(f"{path}, line {line_number}: expected '0 or 1<TAB>sentence', got {row!r}")
            labels.append(int(row[0]))
            sentences.append(row[1])
    chars = sorted({ch for text in sentences for ch in text if not ch.isspace()})
    vocab = {ch: i for i, ch in enumerate(chars)}
    token_ids = [[vocab[ch] for ch in text if not ch.isspace()] for text in sentences]
    return Corpus(sentences, labels, vocab, token_ids)


@contextlib.contextmanager
def one_thread():
    """Run torch on one thread inside the block.

    The tensors here are tiny: extra threads only add synchronisation, and on a busy
    machine they make a 0.2 s run take several seconds.
    """
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


class Adam:
    """Adam (Kingma and Ba, 2015) for a few tensors, written out.

    The same update as ``torch.optim.Adam`` with its defaults; written here because
    torch.optim's first step imports ``torch._dynamo``, which alone takes longer
    than a whole training run of this notebook.
    """

    def __init__(self, params: list[torch.Tensor], lr: float, betas=(0.9, 0.999), eps: float = 1e-8):
        self.params, self.lr, self.betas, self.eps, self.steps = params, lr, betas, eps, 0
        self.first = [torch.zeros_like(p) for p in params]   # running mean of the gradient
        self.second = [torch.zeros_like(p) for p in params]  # running mean of its square

    @torch.no_grad()
    def step(self) -> None:
        """Move every parameter along its gradient, then clear the gradients."""
        self.steps += 1
        beta1, beta2 = self.betas
        for param, first, second in zip(self.params, self.first, self.second):
            if param.grad is None:
                continue
            first.mul_(beta1).add_(param.grad, alpha=1 - beta1)
            second.mul_(beta2).addcmul_(param.grad, param.grad, value=1 - beta2)
            corrected_first = first / (1 - beta1 ** self.steps)
            corrected_second = second / (1 - beta2 ** self.steps)
            param.sub_(self.lr * corrected_first / (corrected_second.sqrt() + self.eps))
            param.grad = None


@dataclass
class TrainingRun:
    """What a training run produced."""

    vectors: torch.Tensor
    """The trained token vectors, shape (V, d): what a token's embedding *is* after training."""
    losses: list[float]
    """The loss at every step."""
    snapshots: list[tuple[int, torch.Tensor]]
    """(step, copy of ``vectors`` at that step), from step 0 to the last step."""
    input_vectors: torch.Tensor | None = None
    """Skip-gram only: the input (centre) vectors alone: similar for substitutes (喜欢, 讨厌)."""
    output_vectors: torch.Tensor | None = None
    """Skip-gram only: the output (context) vectors alone."""
    input_snapshots: list[tuple[int, torch.Tensor]] | None = None
    """Skip-gram only: (step, copy of ``input_vectors``), at the steps of ``snapshots``."""


def word_vector(word: str, vocab: dict[str, int], vectors: torch.Tensor) -> torch.Tensor:
    """A word's vector: the mean of its characters' vectors."""
    return vectors[[vocab[ch] for ch in word]].mean(dim=0)


def word_cosine(first: str, second: str, vocab: dict[str, int], vectors: torch.Tensor) -> float:
    """The cosine similarity of two words' vectors, as a Python float."""
    a, b = word_vector(first, vocab, vectors), word_vector(second, vocab, vectors)
    return F.cosine_similarity(a, b, dim=0).item()


def train_skipgram(corpus: Corpus, skipgram_pairs: Callable, negative_sampling_loss: Callable, *,
                   seed: int = 0, dim: int = DIM, window: int = WINDOW, negatives: int = 5,
                   steps: int = 300, batch_size: int = 256, lr: float = 0.05,
                   snapshot_every: int = 25) -> TrainingRun:
    """Skip-gram with negative sampling: predict each token's neighbours.

    Each token has an input vector (used when it is the centre) and an output
    vector (used when it is a context or a negative). The two kinds of
    similarity live in different places (the notebook prints both):
    - ``input_vectors`` are similar for tokens that fill the same slots
      (substitutes: 喜欢 and 讨厌, 猫 and 狗), whatever they are written next to;
    - ``vectors``, input + output, add what is written together (partners): the
      input vector of 忐 is trained to line up with the *output* vector of 忑,
      so only the sum makes 忐 and 忑 nearly identical.
    """
    with one_thread():
        return _train_skipgram(corpus, skipgram_pairs, negative_sampling_loss, seed, dim, window, negatives,
                               steps, batch_size, lr, snapshot_every)


def _train_skipgram(corpus, skipgram_pairs, negative_sampling_loss, seed, dim, window, negatives,
                    steps, batch_size, lr, snapshot_every) -> TrainingRun:
    generator = torch.Generator().manual_seed(seed)
    vocab_size = len(corpus.vocab)
    pairs = [pair for ids in corpus.token_ids for pair in skipgram_pairs(ids, window)]
    if not pairs:
        raise ValueError("skipgram_pairs produced no pairs: the corpus has no sentence longer than one token")
    pair_tensor = torch.tensor(pairs, dtype=torch.int64)
    counts = torch.bincount(torch.tensor([t for ids in corpus.token_ids for t in ids]), minlength=vocab_size)
    noise = counts.double() ** NOISE_POWER  # word2vec smooths the unigram distribution for negatives

    inputs = (torch.randn(vocab_size, dim, generator=generator) * 0.1).requires_grad_()
    outputs = (torch.randn(vocab_size, dim, generator=generator) * 0.1).requires_grad_()
    optimizer = Adam([inputs, outputs], lr=lr)
    combined = lambda: (inputs + outputs).detach().clone()  # noqa: E731 - the vectors we report
    losses, snapshots, input_snapshots = [], [(0, combined())], [(0, inputs.detach().clone())]
    for step in range(1, steps + 1):
        batch = pair_tensor[torch.randint(len(pair_tensor), (batch_size,), generator=generator)]
        noise_ids = torch.multinomial(noise, batch_size * negatives, replacement=True, generator=generator)
        loss = negative_sampling_loss(inputs[batch[:, 0]], outputs[batch[:, 1]],
                                      outputs[noise_ids.view(batch_size, negatives)])
        _check_loss(loss, step, "negative_sampling_loss")
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if step % snapshot_every == 0 or step == steps:
            snapshots.append((step, combined()))
            input_snapshots.append((step, inputs.detach().clone()))
    return TrainingRun(combined(), losses, snapshots, inputs.detach().clone(), outputs.detach().clone(),
                       input_snapshots)


def _check_loss(loss, step: int, source: str) -> None:
    """Stop with a message a student can act on, rather than train on NaN for 300 steps."""
    if not isinstance(loss, torch.Tensor) or loss.dim() != 0 or not loss.requires_grad:
        raise TypeError(f"{source} must be a 0-dim tensor attached to the graph; got "
                        f"{type(loss).__name__}{'' if not isinstance(loss, torch.Tensor) else tuple(loss.shape)}")
    if not math.isfinite(loss.item()):
        raise FloatingPointError(f"{source} is {loss.item()} at step {step}: run the tests of your function above")


def pad(token_ids: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad the sentences to one length: ids (B, L) int64 and mask (B, L) bool."""
    length = max(len(ids) for ids in token_ids)
    ids = torch.zeros(len(token_ids), length, dtype=torch.int64)
    mask = torch.zeros(len(token_ids), length, dtype=torch.bool)
    for row, sentence in enumerate(token_ids):
        ids[row, :len(sentence)] = torch.tensor(sentence, dtype=torch.int64)
        mask[row, :len(sentence)] = True
    return ids, mask


def train_sentiment(corpus: Corpus, masked_mean_pool: Callable, *, seed: int = 0, dim: int = DIM,
                    steps: int = 200, lr: float = 0.05, snapshot_every: int = 20) -> TrainingRun:
    """A bag-of-embeddings classifier trained from scratch on the sentiment labels.

    A sentence is the mean of its characters' vectors (``masked_mean_pool`` over
    the padded batch), fed to a logistic regression. Only the label drives the
    vectors, so 喜欢 and 讨厌, interchangeable in context, are pushed apart.
    """
    with one_thread():
        return _train_sentiment(corpus, masked_mean_pool, seed, dim, steps, lr, snapshot_every)


def _train_sentiment(corpus, masked_mean_pool, seed, dim, steps, lr, snapshot_every) -> TrainingRun:
    generator = torch.Generator().manual_seed(seed)
    ids, mask = pad(corpus.token_ids)
    labels = torch.tensor(corpus.labels, dtype=torch.float32)
    vectors = (torch.randn(len(corpus.vocab), dim, generator=generator) * 0.1).requires_grad_()
    direction = (torch.randn(dim, generator=generator) * 0.1).requires_grad_()
    bias = torch.zeros((), requires_grad=True)
    optimizer = Adam([vectors, direction, bias], lr=lr)
    losses, snapshots = [], [(0, vectors.detach().clone())]
    for step in range(1, steps + 1):
        sentences = masked_mean_pool(vectors[ids], mask)                  # (B, d)
        loss = F.binary_cross_entropy_with_logits(sentences @ direction + bias, labels)
        _check_loss(loss, step, "the loss computed from masked_mean_pool's output")
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if step % snapshot_every == 0 or step == steps:
            snapshots.append((step, vectors.detach().clone()))
    return TrainingRun(vectors.detach().clone(), losses, snapshots)
