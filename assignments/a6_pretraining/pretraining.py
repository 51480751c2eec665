"""The cloze model of a6_pretraining: a small BERT-style character encoder and its pretraining.

The functions you write are *not* here: everything that masks, embeds, scores or
computes the loss takes them as arguments (``mask_tokens``, ``embed_with_positions``,
``tied_logits``, ``mlm_loss``), so the notebook pretrains and reads the model with your
code. The checkpoint the notebook loads was made by the same :func:`pretrain`, run longer
with the course's own versions of those functions (by a script of the course repository
that is not handed out; ``README.md`` next to this file says how long and with which seed).

The model, BERT's shape at a small size:
- ``token_embedding``: an ``nn.Embedding(V, 128)``, a1's lookup table, random at first;
- ``position_embedding``: an ``nn.Embedding(128, 128)``, one row per position;
- 4 transformer encoder layers (4 attention heads, 512 hidden units, LayerNorm first);
- a final LayerNorm, then the output scores of every character: the hidden vector times
  the *same* token table, transposed, plus a bias (weight tying).
"""
from __future__ import annotations

import collections
import json
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np
import torch
from torch import nn

from widgets._chinese_text import SPECIAL_TOKENS, read_news, split_sentences, tokenize
from widgets._cloze_model import checkpoint_path

PAD, UNK, CLS, MASK = range(4)
VOCAB_SIZE = 3000
"""Characters kept (the most frequent of the newspaper: 99.7% of its text, 97.1% of the reviews')."""
MAX_LENGTH = 128
"""Positions: [CLS] plus up to 127 characters."""


@dataclass(frozen=True)
class EncoderShape:
    """The sizes of a :class:`ClozeEncoder`."""

    vocab_size: int
    dim: int = 128
    layers: int = 4
    heads: int = 4
    hidden: int = 512
    """Units of each layer's feed-forward part."""
    max_length: int = MAX_LENGTH


class ClozeEncoder(nn.Module):
    """A BERT-style encoder over characters with a tied output layer.

    It holds the parameters; the forward pass is written out in :func:`encode` and
    :func:`scores`, with the embedding and output functions passed in.
    """

    def __init__(self, shape: EncoderShape, seed: int = 0):
        super().__init__()
        self.shape = shape
        generator_state = torch.random.get_rng_state()
        torch.manual_seed(seed)  # the initialisation is seeded; the global generator is put back after
        try:
            self.token_embedding = nn.Embedding(shape.vocab_size, shape.dim)
            self.position_embedding = nn.Embedding(shape.max_length, shape.dim)
            layer = nn.TransformerEncoderLayer(shape.dim, shape.heads, shape.hidden, dropout=0.0,
                                               activation="relu", batch_first=True, norm_first=True)
            self.layers = nn.TransformerEncoder(layer, shape.layers, enable_nested_tensor=False)
            self.final_norm = nn.LayerNorm(shape.dim)
            self.output_bias = nn.Parameter(torch.zeros(shape.vocab_size))
            # BERT's initialisation: small rows (standard deviation 0.02), so the first
            # scores are near zero and every character starts about equally likely.
            for table in (self.token_embedding, self.position_embedding):
                nn.init.normal_(table.weight, std=0.02)
        finally:
            torch.random.set_rng_state(generator_state)


def encode(model: ClozeEncoder, ids: torch.Tensor, embed_with_positions: Callable) -> torch.Tensor:
    """The encoder's output vectors ``(B, L, d)`` for ``ids`` ``(B, L)``: one per position,
    each depending on the whole sequence ([PAD] positions are never attended to)."""
    embedded = embed_with_positions(ids, model.token_embedding, model.position_embedding)
    return model.final_norm(model.layers(embedded, src_key_padding_mask=ids == PAD))


def scores(model: ClozeEncoder, hidden: torch.Tensor, tied_logits: Callable) -> torch.Tensor:
    """Every character's score (logit) at every position: ``tied_logits`` with the token table."""
    return tied_logits(hidden, model.token_embedding, model.output_bias)


# --- text to ids -----------------------------------------------------------------------

def build_vocab(texts: Iterable[str], size: int = VOCAB_SIZE) -> dict[str, int]:
    """The special tokens (ids 0-3), then the ``size`` most frequent characters of ``texts``
    (ties in code-point order)."""
    counts = collections.Counter(ch for text in texts for ch in tokenize(text))
    for token in SPECIAL_TOKENS:
        counts.pop(token, None)
    chars = sorted(counts, key=lambda ch: (-counts[ch], ch))[:size]
    return {token: i for i, token in enumerate([*SPECIAL_TOKENS, *chars])}


def to_ids(text: str, vocab: dict[str, int]) -> list[int]:
    """``[CLS]`` and the ids of the text's characters ([UNK] for a character not in ``vocab``;
    ``[MASK]`` written in the text is the mask token)."""
    return [CLS] + [vocab.get(token, UNK) for token in tokenize(text)]


def news_sentences() -> list[str]:
    """The People's Daily of January 1998, cut into sentences (45,080)."""
    return [s for paragraph in read_news() for s in split_sentences(paragraph)]


def pack_sentences(sentences: Sequence[str], vocab: dict[str, int], length: int = MAX_LENGTH) -> torch.Tensor:
    """Consecutive sentences packed into rows of ``[CLS]`` + up to ``length - 1`` characters,
    right-padded with [PAD]: int64, shape (rows, length). A sentence longer than a row
    is cut into pieces; a row never starts in the middle of a sentence otherwise."""
    room = length - 1
    rows, current = [], []
    for sentence in sentences:
        ids = [vocab.get(token, UNK) for token in tokenize(sentence)]
        for start in range(0, max(len(ids), 1), room):
            piece = ids[start:start + room]
            if current and len(current) + len(piece) > room:
                rows.append(current)
                current = []
            current = current + piece
    if current:
        rows.append(current)
    packed = torch.full((len(rows), length), PAD, dtype=torch.int64)
    packed[:, 0] = CLS
    for r, ids in enumerate(rows):
        packed[r, 1:1 + len(ids)] = torch.tensor(ids, dtype=torch.int64)
    return packed


# --- pretraining -----------------------------------------------------------------------

@dataclass
class PretrainingRun:
    """What :func:`pretrain` did."""

    losses: list[float]
    """The loss at every step."""
    masked: list[int]
    """How many positions had a target at every step."""


def masking_randomness(batch: torch.Tensor, vocab_size: int, generator: torch.Generator):
    """The random inputs of ``mask_tokens`` for one batch: ``special`` ([CLS] and [PAD]),
    ``u_select``, ``u_action`` (float64 uniforms) and ``random_ids`` (real characters only)."""
    special = (batch == CLS) | (batch == PAD)
    u_select = torch.rand(batch.shape, generator=generator, dtype=torch.float64)
    u_action = torch.rand(batch.shape, generator=generator, dtype=torch.float64)
    random_ids = torch.randint(len(SPECIAL_TOKENS), vocab_size, batch.shape, generator=generator)
    return special, u_select, u_action, random_ids


def pretraining_loss(model: ClozeEncoder, batch: torch.Tensor, functions: dict[str, Callable],
                     generator: torch.Generator) -> tuple[torch.Tensor, int]:
    """BERT's masked-language-model loss on one batch of packed rows, and how many
    positions had a target.

    ``functions`` holds ``mask_tokens``, ``embed_with_positions``, ``tied_logits`` and
    ``mlm_loss``. Only the chosen positions have a target, so only their output vectors
    are scored: ``tied_logits`` and ``mlm_loss`` see them as one row of length N, which
    gives the same loss as scoring all B x L positions, at about a seventh of the cost.
    """
    special, u_select, u_action, random_ids = masking_randomness(batch, model.shape.vocab_size, generator)
    inputs, labels = functions["mask_tokens"](batch, special, u_select, u_action, random_ids, MASK, 0.15)
    hidden = encode(model, inputs, functions["embed_with_positions"])
    chosen = labels != -100
    logits = scores(model, hidden[chosen].unsqueeze(0), functions["tied_logits"])   # (1, N, V)
    return functions["mlm_loss"](logits, labels[chosen].unsqueeze(0)), int(chosen.sum())


def pretrain(model: ClozeEncoder, rows: torch.Tensor, functions: dict[str, Callable], *, steps: int,
             batch_size: int = 32, lr: float = 1e-3, warmup: int = 0, seed: int = 0,
             on_step: Callable[[int, float], None] | None = None) -> PretrainingRun:
    """``steps`` steps of AdamW on batches of ``rows`` (reshuffled every pass, seeded).

    The learning rate rises linearly over ``warmup`` steps, then falls linearly to zero at
    the last step (with ``warmup=0`` it stays at ``lr``: the notebook's few live steps).
    """
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    order, cursor = torch.randperm(len(rows), generator=generator), 0
    run = PretrainingRun([], [])
    for step in range(1, steps + 1):
        if cursor + batch_size > len(order):
            order, cursor = torch.randperm(len(rows), generator=generator), 0
        batch = rows[order[cursor:cursor + batch_size]]
        cursor += batch_size
        for group in optimizer.param_groups:
            group["lr"] = _learning_rate(step, steps, lr, warmup)
        loss, masked = pretraining_loss(model, batch, functions, generator)
        _check_loss(loss, step)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        run.losses.append(loss.item())
        run.masked.append(masked)
        if on_step is not None:
            on_step(step, run.losses[-1])
    return run


def _learning_rate(step: int, steps: int, peak: float, warmup: int) -> float:
    if warmup == 0:
        return peak
    if step <= warmup:
        return peak * step / warmup
    return peak * max(0.0, (steps - step) / max(1, steps - warmup))


def _check_loss(loss, step: int) -> None:
    """Stop with a message a student can act on, rather than train on NaN."""
    if not isinstance(loss, torch.Tensor) or loss.dim() != 0 or not loss.requires_grad:
        raise TypeError("mlm_loss must return a 0-dim tensor attached to the graph; got "
                        f"{type(loss).__name__}{tuple(loss.shape) if isinstance(loss, torch.Tensor) else ''}")
    if not math.isfinite(loss.item()):
        raise FloatingPointError(f"the loss is {loss.item()} at step {step}: run the tests of your functions above")


# --- the checkpoint --------------------------------------------------------------------

def save_checkpoint(model: ClozeEncoder, vocab: dict[str, int], path: str | Path) -> None:
    """Every parameter as float16 (half the bytes; the notebook's numbers hold), the
    vocabulary in id order and the shape, in one ``.npz`` that numpy reads without torch."""
    arrays = {name: tensor.detach().to(torch.float16).numpy() for name, tensor in model.state_dict().items()}
    tokens = sorted(vocab, key=vocab.get)
    if tokens != [t for t, i in sorted(vocab.items(), key=lambda item: item[1])] or \
            [vocab[t] for t in tokens] != list(range(len(tokens))):
        raise ValueError("the vocabulary must map its tokens to 0 ... V-1")
    shape = json.dumps(vars(model.shape), sort_keys=True)
    entries = [("vocab", np.array(tokens)), ("shape", np.array(shape)), *sorted(arrays.items())]
    # np.savez stamps each entry with the current time; a fixed stamp makes the file the
    # same bytes for the same weights. np.load reads it as any .npz.
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, array in entries:
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            with archive.open(info, "w", force_zip64=True) as handle:
                np.lib.format.write_array(handle, array, allow_pickle=False)


def load_pretrained(path: str | Path | None = None) -> tuple[ClozeEncoder, dict[str, int]]:
    """The pretrained model (float32, evaluation mode, no gradients needed) and its vocabulary."""
    with np.load(checkpoint_path() if path is None else path, allow_pickle=False) as data:
        shape = EncoderShape(**json.loads(str(data["shape"])))
        vocab = {str(token): i for i, token in enumerate(data["vocab"])}
        state = {name: torch.from_numpy(data[name].astype(np.float32)) for name in data.files
                 if name not in ("vocab", "shape")}
    model = ClozeEncoder(shape)
    model.load_state_dict(state)
    model.eval()
    return model.requires_grad_(False), vocab


# --- reading the model -----------------------------------------------------------------

def fill_blanks(model: ClozeEncoder, vocab: dict[str, int], text: str, embed_with_positions: Callable,
                tied_logits: Callable, k: int = 5) -> list[list[tuple[str, float]]]:
    """For each ``[MASK]`` in ``text``, its ``k`` most probable characters with their probabilities."""
    ids = torch.tensor([to_ids(text, vocab)])
    tokens = sorted(vocab, key=vocab.get)
    with torch.no_grad():
        logits = scores(model, encode(model, ids, embed_with_positions), tied_logits)[0].double()
    logits[:, :len(SPECIAL_TOKENS)] = -math.inf  # a blank is filled with a character
    probabilities = torch.softmax(logits, dim=-1)
    out = []
    for position in (ids[0] == MASK).nonzero().flatten().tolist():
        top = torch.topk(probabilities[position], k)
        out.append([(tokens[i], p) for p, i in zip(top.values.tolist(), top.indices.tolist())])
    return out


def contextual_vector(model: ClozeEncoder, vocab: dict[str, int], text: str, char_index: int,
                      embed_with_positions: Callable) -> torch.Tensor:
    """The encoder's output vector of character number ``char_index`` of ``text`` (0-based,
    [CLS] not counted): what that character means *in this sentence*."""
    ids = torch.tensor([to_ids(text, vocab)])
    with torch.no_grad():
        return encode(model, ids, embed_with_positions)[0, 1 + char_index].clone()
