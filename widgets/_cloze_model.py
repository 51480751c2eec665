"""The cloze explorer's model (pure numpy): a6's pretrained character encoder, read-only.

It reads the checkpoint ``widgets/data/cloze_encoder.npz`` (float16 weights, the
vocabulary and the sizes; written by a6's ``pretraining.save_checkpoint``) and runs the
forward pass in numpy, so a dashboard kernel never imports torch (about 190 MB). The
pass is the one of ``torch.nn.TransformerEncoderLayer`` with ``norm_first=True``, ReLU
and no dropout, followed by a final LayerNorm and the tied output layer (the hidden
vector times the token table, transposed, plus a bias); a test checks it against the
torch model driven by the reference functions.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from ._chinese_text import SPECIAL_TOKENS, tokenize

MASK_TOKEN = "[MASK]"
_EPS = 1e-5  # LayerNorm's default


def checkpoint_path() -> Path:
    """The committed checkpoint of a6's pretrained encoder."""
    return Path(__file__).resolve().parent / "data" / "cloze_encoder.npz"


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + _EPS) * weight + bias


def _softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    shifted = np.exp(x - x.max(axis=axis, keepdims=True))
    return shifted / shifted.sum(axis=axis, keepdims=True)


@dataclass(frozen=True)
class Blank:
    """One filled blank."""

    position: int
    """Its index among the tokens of the text (0 = the first token after [CLS])."""
    predictions: list[tuple[str, float]]
    """The most probable characters, with their probabilities, highest first."""
    attention: np.ndarray
    """How much the blank's position attends to each token of the text in the last layer
    (mean over heads; [CLS] left out, so it sums to at most 1)."""


class ClozeModel:
    """The pretrained encoder: vocabulary, static table and the forward pass."""

    def __init__(self, arrays: dict[str, np.ndarray], tokens: Sequence[str], shape: dict):
        self.tokens = list(tokens)
        self.vocab = {t: i for i, t in enumerate(self.tokens)}
        if self.tokens[:len(SPECIAL_TOKENS)] != list(SPECIAL_TOKENS) or len(self.vocab) != len(self.tokens):
            raise ValueError("the checkpoint's vocabulary must start with the special tokens and have no duplicates")
        self.shape = dict(shape)
        self.p = {name: np.asarray(a, dtype=np.float32) for name, a in arrays.items()}
        self.table = self.p["token_embedding.weight"]
        if self.table.shape != (len(self.tokens), self.shape["dim"]):
            raise ValueError(f"token table {self.table.shape} does not match {len(self.tokens)} tokens")

    @classmethod
    @functools.lru_cache(maxsize=2)
    def load(cls, path: str | Path | None = None) -> "ClozeModel":
        """The committed checkpoint (loaded once per process)."""
        with np.load(checkpoint_path() if path is None else path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files if name not in ("vocab", "shape")}
            return cls(arrays, [str(t) for t in data["vocab"]], json.loads(str(data["shape"])))

    @property
    def max_tokens(self) -> int:
        """The longest text it reads, in tokens ([CLS] not counted)."""
        return int(self.shape["max_length"]) - 1

    def ids(self, tokens: Sequence[str]) -> np.ndarray:
        """[CLS] then each token's id ([UNK] for an unknown character)."""
        unk, cls = self.vocab["[UNK]"], self.vocab["[CLS]"]
        return np.array([cls] + [self.vocab.get(t, unk) for t in tokens], dtype=np.int64)

    def forward(self, ids: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """``(hidden (L, d), attention per layer (heads, L, L))`` for one sequence of ids."""
        p, heads = self.p, int(self.shape["heads"])
        if len(ids) > int(self.shape["max_length"]):
            raise ValueError(f"at most {self.max_tokens} tokens")
        x = self.table[ids] + p["position_embedding.weight"][:len(ids)]
        length, dim = x.shape
        attentions = []
        for i in range(int(self.shape["layers"])):
            pre = f"layers.layers.{i}."
            h = _layer_norm(x, p[pre + "norm1.weight"], p[pre + "norm1.bias"])
            qkv = h @ p[pre + "self_attn.in_proj_weight"].T + p[pre + "self_attn.in_proj_bias"]
            q, k, v = (part.reshape(length, heads, dim // heads).transpose(1, 0, 2) for part in np.split(qkv, 3, axis=-1))
            weights = _softmax(q @ k.transpose(0, 2, 1) / np.sqrt(dim // heads))       # (heads, L, L)
            attentions.append(weights)
            mixed = (weights @ v).transpose(1, 0, 2).reshape(length, dim)
            x = x + mixed @ p[pre + "self_attn.out_proj.weight"].T + p[pre + "self_attn.out_proj.bias"]
            h = _layer_norm(x, p[pre + "norm2.weight"], p[pre + "norm2.bias"])
            inner = np.maximum(h @ p[pre + "linear1.weight"].T + p[pre + "linear1.bias"], 0.0)
            x = x + inner @ p[pre + "linear2.weight"].T + p[pre + "linear2.bias"]
        return _layer_norm(x, p["final_norm.weight"], p["final_norm.bias"]), attentions

    def logits(self, hidden: np.ndarray) -> np.ndarray:
        """Every token's score at every position: the tied output layer."""
        return hidden @ self.table.T + self.p["output_bias"]

    def fill(self, text: str, k: int = 5) -> tuple[list[str], list[Blank]]:
        """The text's tokens, and for each [MASK] its ``k`` most probable characters."""
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        tokens = tokenize(text)
        if len(tokens) > self.max_tokens:
            raise ValueError(f"the model reads at most {self.max_tokens} characters; this text has {len(tokens)}")
        hidden, attentions = self.forward(self.ids(tokens))
        blanks = []
        for position in [i for i, t in enumerate(tokens) if t == MASK_TOKEN]:
            scores = self.logits(hidden[1 + position]).astype(np.float64)
            scores[:len(SPECIAL_TOKENS)] = -np.inf  # a blank is filled with a character
            probabilities = _softmax(scores)
            top = np.argsort(-probabilities, kind="stable")[:k]
            blanks.append(Blank(position, [(self.tokens[i], float(probabilities[i])) for i in top],
                                attentions[-1].mean(axis=0)[1 + position, 1:]))
        return tokens, blanks

    def character_vectors(self) -> tuple[list[str], np.ndarray]:
        """The static table's rows of the characters (special tokens left out): what the
        Projector serves."""
        n = len(SPECIAL_TOKENS)
        return self.tokens[n:], self.table[n:]
