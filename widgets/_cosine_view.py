"""CosineExplorer (two 2-D vectors, drawn) and NeighbourTable: thin views.

Two classes rather than one, because a dashboard or notebook often wants the
geometry without embeddings, or the table for its own trained weights.
"""
from __future__ import annotations

import math
from typing import Mapping, Sequence

import ipywidgets as w
import numpy as np

from ._cosine_model import CosineModel, NeighbourModel
from ._html import A_COLOUR, B_COLOUR, BASE_STYLE, HIGHLIGHT, esc, fmt, ranked_table
from ._plain import PlainTextRepr

_WIDE = {"description_width": "initial"}
_SIZE, _REACH = 240, 2.2          # SVG pixels, and the data range shown on each side of 0
_MAX_LENGTH = 2.0


def _px(v: np.ndarray) -> tuple[float, float]:
    """Data coordinates -> SVG pixels (y grows downwards in SVG)."""
    half = _SIZE / 2
    return half + v[0] / _REACH * half, half - v[1] / _REACH * half


def _arrow(v: np.ndarray, colour: str, name: str) -> str:
    x, y = _px(v)
    ox, oy = _px(np.zeros(2))
    parts = [f'<line x1="{ox:.1f}" y1="{oy:.1f}" x2="{x:.1f}" y2="{y:.1f}" '
             f'stroke="{colour}" stroke-width="2.5"/>']
    if np.linalg.norm(v) > 0:
        # An explicit triangle rather than an SVG <marker>: marker ids are global to the page.
        theta = math.atan2(oy - y, x - ox)
        wing = [(x - 9 * math.cos(theta + s), y + 9 * math.sin(theta + s)) for s in (0.4, -0.4)]
        points = " ".join(f"{px:.1f},{py:.1f}" for px, py in [(x, y), *wing])
        parts.append(f'<polygon points="{points}" fill="{colour}"/>')
    parts.append(f'<text x="{x + 6:.1f}" y="{y - 6:.1f}" fill="{colour}" font-size="14">{name}</text>')
    return "".join(parts)


def render_drawing(model: CosineModel) -> str:
    """The unit circle, both axes and the two vectors as one small SVG."""
    half = _SIZE / 2
    unit = half / _REACH
    summary = model.summary()
    return (f'<svg class="el-cosine-drawing" width="{_SIZE}" height="{_SIZE}" '
            f'viewBox="0 0 {_SIZE} {_SIZE}" data-a="{fmt(model.a[0], 4)},{fmt(model.a[1], 4)}" '
            f'data-b="{fmt(model.b[0], 4)},{fmt(model.b[1], 4)}" '
            f'style="background:#fafafa; border:1px solid #e5e7eb;">'
            f'<line x1="0" y1="{half}" x2="{_SIZE}" y2="{half}" stroke="#d1d5db"/>'
            f'<line x1="{half}" y1="0" x2="{half}" y2="{_SIZE}" stroke="#d1d5db"/>'
            f'<circle cx="{half}" cy="{half}" r="{unit:.1f}" fill="none" stroke="#d1d5db" '
            f'stroke-dasharray="4 3"/>'
            f'{_arrow(model.a, A_COLOUR, "a")}{_arrow(model.b, B_COLOUR, "b")}'
            f'<text x="6" y="{_SIZE - 8}" font-size="12" fill="#374151">'
            f'cos = {fmt(summary["cosine"], 3)}</text></svg>')


def render_readout(model: CosineModel) -> str:
    """cos, angle, dot product and norms, as text with data attributes."""
    s = model.summary()
    angle = "undefined (a zero vector)" if s["angle"] is None else f'{fmt(s["angle"], 1)}&deg;'
    return (f'<div class="el-cosine-readout" data-cosine="{s["cosine"]:.6f}" '
            f'data-angle="{"" if s["angle"] is None else format(s["angle"], ".4f")}" '
            f'style="{BASE_STYLE}">'
            f'<div>cos(a, b) = a&middot;b / (&#8214;a&#8214; &#8214;b&#8214;) = '
            f'{fmt(s["dot"], 3)} / ({fmt(s["norm_a"], 3)} &times; {fmt(s["norm_b"], 3)}) = '
            f'<b>{fmt(s["cosine"], 3)}</b></div><div>angle = <b>{angle}</b></div>'
            f"<small>Lengths change the dot product but not the cosine.</small></div>")


class CosineExplorer(PlainTextRepr, w.VBox):
    """Two 2-D vectors set by angle and length sliders, drawn, with their cosine and angle.

    ``CosineExplorer(angle_a=20, length_a=1.0, angle_b=70, length_b=1.5)`` (degrees).
    Controls: ``angle_a_slider``, ``length_a_slider``, ``angle_b_slider``,
    ``length_b_slider``. Shown parts: ``drawing_view`` (SVG ``.el-cosine-drawing``) and
    ``readout_view`` (``.el-cosine-readout[data-cosine][data-angle]``).
    """

    def __init__(self, angle_a: float = 20.0, length_a: float = 1.0, angle_b: float = 70.0,
                 length_b: float = 1.5):
        self.model = CosineModel(angle_a, length_a, angle_b, length_b)
        self.angle_a_slider = _angle_slider("angle a (°)", angle_a)
        self.length_a_slider = _length_slider("length a", length_a)
        self.angle_b_slider = _angle_slider("angle b (°)", angle_b)
        self.length_b_slider = _length_slider("length b", length_b)
        self.drawing_view, self.readout_view = w.HTML(), w.HTML()
        super().__init__(children=[
            w.HBox([self.angle_a_slider, self.length_a_slider]),
            w.HBox([self.angle_b_slider, self.length_b_slider]),
            w.HBox([self.drawing_view, self.readout_view])])
        for slider in (self.angle_a_slider, self.length_a_slider):
            slider.observe(lambda _: self._move("a"), names="value")
        for slider in (self.angle_b_slider, self.length_b_slider):
            slider.observe(lambda _: self._move("b"), names="value")
        self._render()

    def plain_text(self) -> str:
        (angle_a, length_a), (angle_b, length_b) = self.model.polar["a"], self.model.polar["b"]
        summary = self.model.summary()
        angle = "undefined" if summary["angle"] is None else f"{fmt(summary['angle'], 1)}°"
        return (f"CosineExplorer: a at {fmt(angle_a, 0)}° with length {fmt(length_a)}, b at {fmt(angle_b, 0)}° "
                f"with length {fmt(length_b)}: cosine {fmt(summary['cosine'], 3)}, angle {angle}")

    def _move(self, which: str) -> None:
        angle, length = ((self.angle_a_slider, self.length_a_slider) if which == "a"
                         else (self.angle_b_slider, self.length_b_slider))
        self.model.set_vector(which, angle.value, length.value)
        self._render()

    def _render(self) -> None:
        self.drawing_view.value = render_drawing(self.model)
        self.readout_view.value = render_readout(self.model)


def _angle_slider(label: str, value: float) -> w.FloatSlider:
    return w.FloatSlider(value=value, min=-180.0, max=180.0, step=1.0, description=label,
                         style=_WIDE)


def _length_slider(label: str, value: float) -> w.FloatSlider:
    return w.FloatSlider(value=value, min=0.0, max=_MAX_LENGTH, step=0.05, description=label,
                         style=_WIDE)


def render_neighbours(token: str, pairs: list[tuple[str, float]]) -> str:
    """The ranked neighbours of ``token``: rows carry rank, token and cosine."""
    title = f'nearest to <b style="background:{HIGHLIGHT};">{esc(token)}</b> by cosine'
    return ranked_table(title, pairs, row_class="el-neighbour", table_class="el-neighbours",
                        table_attrs=f' data-token="{esc(token)}"', name_attr="token", value_attr="cosine",
                        name_header="token", value_header="cos")


class NeighbourTable(PlainTextRepr, w.VBox):
    """The ``k`` nearest tokens to a chosen token, by cosine over given embeddings.

    ``NeighbourTable(vocab, weight, token=None, k=5)``: ``vocab`` is a ``{token: index}``
    dict or a list of tokens in row order; ``weight`` a (V, d) tensor, array or
    ``nn.Embedding`` (copied now). ``token`` defaults to the first one; ``k`` is capped at
    V - 1. Controls: ``token_dropdown``, ``k_slider``. Shown: ``table_view`` with rows
    ``tr.el-neighbour[data-rank][data-token][data-cosine]``, highest cosine first, ties
    by the smaller index, the token itself never listed.
    """

    def __init__(self, vocab: Mapping[str, int] | Sequence[str], weight: object,
                 token: str | None = None, k: int = 5):
        self.model = NeighbourModel(vocab, weight)
        tokens = self.model.tokens
        if len(tokens) < 2:
            raise ValueError("a neighbour table needs at least two tokens")
        token = tokens[0] if token is None else token
        if token not in self.model.index:
            raise KeyError(f"{token!r} is not in the vocabulary")
        if k < 1:
            raise ValueError(f"k must be >= 1; got {k}")
        self.token_dropdown = w.Dropdown(options=tokens, value=token, description="token")
        self.k_slider = w.IntSlider(value=min(k, len(tokens) - 1), min=1, max=len(tokens) - 1,
                                    description="k")
        self.table_view = w.HTML()
        super().__init__(children=[w.HBox([self.token_dropdown, self.k_slider]), self.table_view])
        self.token_dropdown.observe(self._render, names="value")
        self.k_slider.observe(self._render, names="value")
        self._render()

    def plain_text(self) -> str:
        token, k = self.token_dropdown.value, self.k_slider.value
        pairs = ", ".join(f"{t} {fmt(c, 3)}" for t, c in self.model.neighbours(token, k))
        return f"NeighbourTable: the {k} nearest tokens to {token} by cosine: {pairs}"

    def _render(self, _change=None) -> None:
        token = self.token_dropdown.value
        self.table_view.value = render_neighbours(
            token, self.model.neighbours(token, self.k_slider.value))
