"""The training view's model: embedding snapshots projected to 2-D with one fixed map.

The projection is PCA of *all snapshots stacked* (every step's V rows, centred by
their overall mean): one linear map for the whole run, so a point moves on screen
only when its vector moves, and the axes show the directions along which the
embeddings vary most over the run. Fitting each step separately would let axes
flip and rotate between steps (points jumping for no reason); fitting only the
last step would hide the early motion. Signs are fixed (largest loading positive)
so the picture is the same on every run.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from ._matrix import as_matrix

DEFAULT_HIGHLIGHT = ("忐", "忑")


def _matrix(weight: object) -> np.ndarray:
    matrix = as_matrix(weight, what="each snapshot")
    if not np.isfinite(matrix).all():
        raise ValueError("a snapshot contains NaN or infinite values")
    return matrix


def _pairs(snapshots: object) -> list[tuple[int, object]]:
    if isinstance(snapshots, Mapping):
        return sorted(snapshots.items(), key=lambda item: item[0])
    pairs = list(snapshots)
    if not all(isinstance(p, (tuple, list)) and len(p) == 2 for p in pairs):
        raise TypeError("snapshots must be a list of (step, weight) pairs or a {step: weight} dict")
    return pairs


def _tokens(tokens: Sequence[str] | Mapping[str, int], size: int) -> list[str]:
    if isinstance(tokens, Mapping):
        ordered = sorted(tokens, key=tokens.__getitem__)
    elif isinstance(tokens, str):
        ordered = list(tokens)          # a string of single-character tokens, in row order
    else:
        ordered = [str(t) for t in tokens]
    if len(ordered) != size:
        raise ValueError(f"{len(ordered)} tokens for snapshots with {size} rows")
    return ordered


class TrainingProjection:
    """Snapshots of a (V, d) embedding over training, projected to 2-D.

    ``snapshots``: a list of ``(step, weight)`` pairs in the order to show them (or a
    ``{step: weight}`` dict, shown by increasing step); each weight a (V, d) tensor,
    array or ``nn.Embedding`` with the same shape. ``tokens``: the V token labels in
    row order (a list, a ``{token: index}`` dict, or a string of characters).
    ``highlight``: tokens to emphasise; with the default ``("忐", "忑")`` missing ones
    are skipped, explicitly passed ones must exist.
    """

    def __init__(self, snapshots: object, tokens: Sequence[str] | Mapping[str, int],
                 highlight: Sequence[str] = DEFAULT_HIGHLIGHT):
        pairs = _pairs(snapshots)
        if not pairs:
            raise ValueError("snapshots is empty: pass at least one (step, weight) pair")
        self.steps = [int(step) for step, _ in pairs]
        weights = [_matrix(weight) for _, weight in pairs]
        shapes = {m.shape for m in weights}
        if len(shapes) != 1:
            raise ValueError(f"all snapshots must have the same shape; got {sorted(shapes)}")
        self.weights = np.stack(weights)                         # (S, V, d)
        self.tokens = _tokens(tokens, self.weights.shape[1])
        index = {t: i for i, t in enumerate(self.tokens)}
        if highlight is DEFAULT_HIGHLIGHT:
            highlight = [t for t in highlight if t in index]
        missing = [t for t in highlight if t not in index]
        if missing:
            raise KeyError(f"highlight tokens not in the vocabulary: {missing}")
        self.highlight = [index[t] for t in highlight]
        self.axes = self._fit_axes(self.weights)                 # (2, d)
        self.mean = self.weights.reshape(-1, self.weights.shape[2]).mean(axis=0)
        self.points = (self.weights - self.mean) @ self.axes.T   # (S, V, 2)
        low, high = self.points.min(axis=(0, 1)), self.points.max(axis=(0, 1))
        pad = np.maximum((high - low) * 0.08, 1e-6)
        self.bounds = (low - pad, high + pad)                   # fixed frame for all steps

    @staticmethod
    def _fit_axes(weights: np.ndarray) -> np.ndarray:
        flat = weights.reshape(-1, weights.shape[2])
        centred = flat - flat.mean(axis=0)
        _, _, vt = np.linalg.svd(centred, full_matrices=False)
        axes = np.zeros((2, weights.shape[2]))
        axes[: min(2, vt.shape[0])] = vt[:2]                    # d == 1: the 2nd axis stays 0
        for axis in axes:
            if axis.any() and axis[np.argmax(np.abs(axis))] < 0:
                axis *= -1
        return axes

    def cosine(self, step_index: int, a: int, b: int) -> float:
        """Cosine of rows ``a`` and ``b`` at a step, in the full d dimensions (0 for a zero row)."""
        u, v = self.weights[step_index, a], self.weights[step_index, b]
        norms = float(np.linalg.norm(u) * np.linalg.norm(v))
        return 0.0 if norms == 0.0 else float(np.clip(u @ v / norms, -1.0, 1.0))
