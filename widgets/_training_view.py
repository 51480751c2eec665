"""TrainingView: a step slider and Play button over :class:`TrainingProjection`.

Each step's SVG is rendered once and cached, so scrubbing or playing back is a
dictionary lookup plus one small HTML update.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import ipywidgets as w
import numpy as np

from ._html import ACCENT, BASE_STYLE, esc, fmt
from ._plain import PlainTextRepr
from ._training_model import DEFAULT_HIGHLIGHT, TrainingProjection

_WIDTH, _HEIGHT, _MARGIN = 420, 320, 24


# A label is drawn over a halo of the background colour, so a trail or a dot under it
# never cuts through its strokes.
_HALO = ' stroke="#fafafa" stroke-width="3" paint-order="stroke"'
_LABEL_OFFSETS = ((6, -4), (6, 12), (-8, -4), (-8, 12), (6, -16), (-8, -16), (6, 24), (-8, 24))


def step_frame(projection: TrainingProjection, step_index: int) -> tuple[np.ndarray, np.ndarray]:
    """The view of one step: its points, padded (the map itself is fixed for the whole run).

    Vectors start near 0 and grow during training: in the frame of the whole run, the
    first steps would be a blob of dots in the middle. Each step is shown at the zoom
    that fits it, and the readout says how much it is zoomed.
    """
    points = projection.points[step_index]
    low, high = points.min(axis=0), points.max(axis=0)
    run_low, run_high = projection.bounds
    span = np.maximum(high - low, (run_high - run_low) * 1e-3)  # one point, or all in one place
    pad = span * 0.08
    return low - pad, high + pad


def zoom(projection: TrainingProjection, step_index: int) -> float:
    """How many times larger a step is drawn than in the frame of the whole run."""
    low, high = step_frame(projection, step_index)
    run_low, run_high = projection.bounds
    return float(np.min((run_high - run_low) / (high - low)))


def _overlaps(box, others) -> bool:
    return any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in others)


def _place_labels(boxes_wanted, dots=()):
    """Greedy label placement: each label takes the first offset that covers no placed label
    and no other point's dot.

    ``boxes_wanted`` is ``[(x, y, width, height, must_show)]`` in drawing priority order;
    ``dots`` the ``(x, y)`` of every point. Returns the chosen ``(dx, dy)`` per label, or
    None when a label that may be left out finds no free place (its point keeps a hover
    title). A label that must show takes the place with the fewest dots under it (the
    first such place).
    """
    placed, chosen = [], []
    for x, y, width, height, must_show in boxes_wanted:
        # Only dots this close can be under one of the places of _LABEL_OFFSETS.
        near = [(dx - 3, dy - 3, dx + 3, dy + 3) for dx, dy in dots
                if (dx, dy) != (x, y) and abs(dx - x) <= width + 12 and y - height - 20 <= dy <= y + 30]
        choice, best = None, None
        for dx, dy in _LABEL_OFFSETS:
            left = x + dx if dx > 0 else x + dx - width
            box = (left, y + dy - height, left + width, y + dy + 2)
            rank = (_overlaps(box, placed), sum(_overlaps(box, (dot,)) for dot in near))
            if rank == (False, 0):
                choice = ((left - x, dy), box)
                break
            if must_show and (best is None or rank < best[0]):
                best = (rank, ((left - x, dy), box))
        choice = choice or (best[1] if best else None)
        if choice:
            placed.append(choice[1])
        chosen.append(choice[0] if choice else None)
    return chosen


def render_step(projection: TrainingProjection, step_index: int) -> str:
    """The 2-D picture of one snapshot: highlighted tokens labelled with a trail, others where labels fit."""
    low, high = step_frame(projection, step_index)
    span = high - low

    def px(point: np.ndarray) -> tuple[float, float]:
        x = _MARGIN + (point[0] - low[0]) / span[0] * (_WIDTH - 2 * _MARGIN)
        y = _HEIGHT - _MARGIN - (point[1] - low[1]) / span[1] * (_HEIGHT - 2 * _MARGIN)
        return x, y

    points = projection.points[step_index]
    marks = []
    for row in projection.highlight:
        trail = " ".join("{:.1f},{:.1f}".format(*px(p))
                         for p in projection.points[: step_index + 1, row])
        marks.append(f'<polyline points="{trail}" fill="none" stroke="{ACCENT}" '
                     f'stroke-opacity="0.35" stroke-width="1.5"/>')
    highlighted = set(projection.highlight)
    order = list(projection.highlight) + [r for r in range(len(projection.tokens)) if r not in highlighted]
    positions = {row: px(points[row]) for row in order}
    sizes = {row: 14 if row in highlighted else 11 for row in order}
    labels = dict(zip(order, _place_labels(
        [(*positions[r], sizes[r] * len(projection.tokens[r]), sizes[r], r in highlighted) for r in order],
        dots=list(positions.values()))))
    for row in reversed(order):  # highlighted ones last, so they are drawn on top
        token, point = projection.tokens[row], points[row]
        x, y = positions[row]
        hot = row in highlighted
        colour, radius = (ACCENT, 5) if hot else ("#6b7280", 3)
        offset = labels[row]
        weight = ' font-weight="bold"' if hot else ""
        text = ("" if offset is None else
                f'<text x="{x + offset[0]:.1f}" y="{y + offset[1]:.1f}" font-size="{sizes[row]}" '
                f'fill="{colour}"{weight}{_HALO}>{esc(token)}</text>')
        marks.append(
            f'<g class="el-point" data-token="{esc(token)}" data-x="{point[0]:.4f}" '
            f'data-y="{point[1]:.4f}" data-highlight="{str(hot).lower()}" '
            f'data-labelled="{str(offset is not None).lower()}"><title>{esc(token)}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour}"/>{text}</g>')
    step = projection.steps[step_index]
    factor = zoom(projection, step_index)
    zoom_note = f" (zoomed ×{factor:.0f})" if factor >= 1.5 else ""
    return (f'<svg class="el-training-plot" data-step="{step}" data-zoom="{factor:.3f}" width="{_WIDTH}" '
            f'height="{_HEIGHT}" viewBox="0 0 {_WIDTH} {_HEIGHT}" '
            f'style="background:#fafafa; border:1px solid #e5e7eb;">{"".join(marks)}'
            f'<text x="8" y="16" font-size="12" fill="#374151"{_HALO}>step {step}{zoom_note}</text></svg>')


def render_readout(projection: TrainingProjection, step_index: int) -> str:
    """Step number and, for two highlighted tokens, their cosine in all d dimensions."""
    step = projection.steps[step_index]
    text = f"step {step} (snapshot {step_index + 1} of {len(projection.steps)})"
    cosine_attr = ""
    if len(projection.highlight) == 2:
        a, b = projection.highlight
        cos = projection.cosine(step_index, a, b)
        cosine_attr = f' data-cosine="{cos:.6f}"'
        # On its own line: both lines fit the plot's width, so two views side by side never run together.
        text += (f"<br>cos({esc(projection.tokens[a])}, {esc(projection.tokens[b])}) = "
                 f"<b>{fmt(cos, 3)}</b> in all {projection.weights.shape[2]} dimensions")
    return (f'<div class="el-training-readout" data-step="{step}"{cosine_attr} '
            f'style="{BASE_STYLE} max-width: {_WIDTH}px;">{text}</div>')


class TrainingView(PlainTextRepr, w.VBox):
    """Embeddings over training, projected to 2-D, with a step slider and a Play button.

    ``TrainingView(snapshots, tokens, highlight=("忐", "忑"))``

    - ``snapshots``: ``[(step, weight), ...]`` in display order, or ``{step: weight}``;
      each ``weight`` a (V, d) tensor/array/``nn.Embedding`` (copied), all the same shape.
      For a4's skip-gram, pass the vectors the notebook calls the token's vector (input +
      output embedding). A few dozen snapshots play smoothly.
    - ``tokens``: the V labels in row order: a list, a ``{token: index}`` dict, or a string.
    - ``highlight``: tokens drawn larger with their trail so far; with the default,
      tokens missing from the vocabulary are skipped. With exactly two, the readout
      shows their cosine in full d dimensions at the current step.

    Projection: PCA over all snapshots together, one fixed map for the whole run (see
    ``widgets._training_model``), so points move only when their vectors do; the view
    zooms to fit each step (vectors start near 0) and says so in its corner. Highlighted
    tokens are always labelled; other labels are drawn where they overlap no label.
    Controls: ``step_slider`` (index into snapshots), ``play`` (jslinked to the slider
    in the browser). Shown: ``plot_view`` (SVG ``.el-training-plot[data-step]`` with
    ``g.el-point[data-token][data-x][data-y]``) and ``readout_view``.
    """

    def __init__(self, snapshots: object, tokens: Sequence[str] | Mapping[str, int],
                 highlight: Sequence[str] = DEFAULT_HIGHLIGHT, interval_ms: int = 300):
        self.projection = TrainingProjection(snapshots, tokens, highlight)
        last = len(self.projection.steps) - 1
        self.step_slider = w.IntSlider(value=0, min=0, max=last, description="snapshot",
                                       readout=False)
        self.play = w.Play(value=0, min=0, max=last, interval=interval_ms, description="play")
        # jslink: playback runs in the browser; each slider move still reaches the kernel.
        self._link = w.jslink((self.play, "value"), (self.step_slider, "value"))
        self.plot_view, self.readout_view = w.HTML(), w.HTML()
        super().__init__(children=[w.HBox([self.play, self.step_slider]), self.readout_view,
                                   self.plot_view])
        self._svg_cache: dict[int, str] = {}
        self.step_slider.observe(self._render, names="value")
        self._render()

    def plain_text(self) -> str:
        projection = self.projection
        steps, (vocab, dim) = projection.steps, projection.weights.shape[1:]
        text = (f"TrainingView: {len(steps)} snapshots (steps {steps[0]}..{steps[-1]}) of {vocab} token "
                f"vectors of dimension {dim}, projected to 2-D")
        if len(projection.highlight) == 2:
            a, b = projection.highlight
            name = f"cos({projection.tokens[a]}, {projection.tokens[b]})"
            text += (f"\n  {name} = {fmt(projection.cosine(0, a, b), 3)} at step {steps[0]}, "
                     f"{fmt(projection.cosine(len(steps) - 1, a, b), 3)} at step {steps[-1]}")
        return text

    def _render(self, _change=None) -> None:
        index = self.step_slider.value
        if index not in self._svg_cache:
            self._svg_cache[index] = render_step(self.projection, index)
        self.plot_view.value = self._svg_cache[index]
        self.readout_view.value = render_readout(self.projection, index)
