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


def render_step(projection: TrainingProjection, step_index: int) -> str:
    """The 2-D picture of one snapshot: every token labelled, highlighted ones with a trail."""
    low, high = projection.bounds
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
    for row, (token, point) in enumerate(zip(projection.tokens, points)):
        x, y = px(point)
        hot = row in highlighted
        colour, radius = (ACCENT, 5) if hot else ("#6b7280", 3)
        marks.append(
            f'<g class="el-point" data-token="{esc(token)}" data-x="{point[0]:.4f}" '
            f'data-y="{point[1]:.4f}" data-highlight="{str(hot).lower()}">'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour}"/>'
            f'<text x="{x + 6:.1f}" y="{y - 4:.1f}" font-size="{14 if hot else 11}" '
            f'fill="{colour}">{esc(token)}</text></g>')
    step = projection.steps[step_index]
    return (f'<svg class="el-training-plot" data-step="{step}" width="{_WIDTH}" '
            f'height="{_HEIGHT}" viewBox="0 0 {_WIDTH} {_HEIGHT}" '
            f'style="background:#fafafa; border:1px solid #e5e7eb;">{"".join(marks)}'
            f'<text x="8" y="16" font-size="12" fill="#374151">step {step}</text></svg>')


def render_readout(projection: TrainingProjection, step_index: int) -> str:
    """Step number and, for two highlighted tokens, their cosine in full d dimensions."""
    step = projection.steps[step_index]
    text = f"step {step} ({step_index + 1} of {len(projection.steps)})"
    cosine_attr = ""
    if len(projection.highlight) == 2:
        a, b = projection.highlight
        cos = projection.cosine(step_index, a, b)
        cosine_attr = f' data-cosine="{cos:.6f}"'
        text += (f"; cos({esc(projection.tokens[a])}, {esc(projection.tokens[b])}) = "
                 f"<b>{fmt(cos, 3)}</b> in all d dimensions")
    return (f'<div class="el-training-readout" data-step="{step}"{cosine_attr} '
            f'style="{BASE_STYLE}">{text}</div>')


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
    ``widgets._training_model``), so points move only when their vectors do.
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
