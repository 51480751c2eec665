"""LookupExplorer: the thin ipywidgets view over :class:`LookupModel`.

Speed: moving the token slider must not re-send the (V x d) matrix. The matrix
HTML only changes when the weight does; the selected row is highlighted by a tiny
``<style>`` element in ``highlight_view`` scoped to this instance, so an index
change re-renders only that, the one-hot row and the result vector.
"""
from __future__ import annotations

import ipywidgets as w
import numpy as np

from ._html import BASE_STYLE, HIGHLIGHT, esc, fmt, heat, new_scope, values_attr
from ._lookup_model import MAX_DIM, MODES, LookupModel
from ._plain import PlainTextRepr

_WIDE = {"description_width": "initial"}


def render_table_style(scope: str) -> str:
    """Cell styling for every table of one instance, sent once with the matrix
    (rather than inline on each of its V x d cells, which would triple the bytes)."""
    return (f"<style>.{scope} table {{ border-collapse: collapse; }} "
            f".{scope} td, .{scope} th {{ padding: 2px 6px; text-align: right; "
            f"border: 1px solid #e5e7eb; }} .{scope} td.el-hot {{ background: {HIGHLIGHT}; }}"
            f"</style>")


def render_vocab(tokens: list[str]) -> str:
    """The vocabulary as index/token chips (static until the sentence changes)."""
    chips = "".join(
        f'<span class="el-token" data-token-index="{i}" data-token="{esc(t)}" '
        f'style="display:inline-block; margin:1px; padding:1px 5px; border:1px solid #d1d5db; '
        f'border-radius:4px;">{i}&nbsp;{esc(t)}</span>'
        for i, t in enumerate(tokens))
    return (f'<div class="el-vocab" data-size="{len(tokens)}" style="{BASE_STYLE}">'
            f"<b>vocabulary</b> (V = {len(tokens)}): {chips}</div>")


def render_matrix(scope: str, tokens: list[str], weight: np.ndarray) -> str:
    """W as a heat-coloured table; row ``i`` carries ``data-row="i"``."""
    scale = float(np.abs(weight).max()) if weight.size else 1.0
    header = "".join(f"<th>{j}</th>" for j in range(weight.shape[1]))
    rows = "".join(
        f'<tr class="el-row" data-row="{i}" data-token="{esc(t)}"><th>{i}&nbsp;{esc(t)}</th>'
        + "".join(f'<td style="background:{heat(x, scale)}">{fmt(x)}</td>' for x in row)
        + "</tr>"
        for i, (t, row) in enumerate(zip(tokens, weight.tolist())))
    return (f'{render_table_style(scope)}<div style="{BASE_STYLE}"><b>W</b> '
            f"({weight.shape[0]} &times; {weight.shape[1]})"
            f'<table class="el-matrix" data-shape="{weight.shape[0]},{weight.shape[1]}">'
            f"<tr><th></th>{header}</tr>{rows}</table>{render_heat_legend(scale)}</div>")


def render_heat_legend(scale: float) -> str:
    """What W's colours mean: blue below 0, red above, stronger for a larger size (up to ``scale``)."""
    stops = [-scale, -scale / 2, 0.0, scale / 2, scale]
    swatches = "".join(
        f'<span class="el-heat-swatch" data-value="{x:.4f}" style="display:inline-block; min-width:3.2em; '
        f'text-align:center; background:{heat(x, scale)};">{fmt(x)}</span>' for x in stops)
    return (f'<div class="el-heat-legend" style="{BASE_STYLE} margin-top:4px;">colour: {swatches} '
            f"(blue below 0, red above; the stronger the colour, the larger the value's size)</div>")


def render_highlight(scope: str, index: int, token: str) -> str:
    """The CSS that highlights row/chip ``index`` inside this instance, plus a caption."""
    selector = (f".{scope} tr[data-row='{index}'] > *, "
                f".{scope} .el-token[data-token-index='{index}']")
    return (f"<style>{selector} {{ background: {HIGHLIGHT} !important; font-weight: bold; }}</style>"
            f'<div class="el-highlight" data-row="{index}" data-token="{esc(token)}" '
            f'style="{BASE_STYLE}">selected: token {index} = <b>{esc(token)}</b> '
            f"&rarr; row {index} of W</div>")


def render_one_hot(tokens: list[str], vector: np.ndarray, index: int) -> str:
    """The one-hot row vector, columns labelled by token."""
    head = "".join(f"<th>{esc(t)}</th>" for t in tokens)
    cells = "".join(f'<td class="el-hot">{int(v)}</td>' if i == index else f"<td>{int(v)}</td>"
                    for i, v in enumerate(vector))
    return (f'<div class="el-onehot" data-index="{index}" data-values="{values_attr(vector)}" '
            f'style="{BASE_STYLE} overflow-x:auto;"><b>one_hot({index}, V={len(tokens)})</b>'
            f"<table><tr>{head}</tr><tr>{cells}</tr></table></div>")


_FORMULAS = {
    "lookup": "W[{i}]",
    "one-hot @ W": "one_hot({i}) @ W",
    "Linear(bias=False)": "Linear(V, d, bias=False)(one_hot({i}))  with weight W.T",
}

# What each mode computes, shown on hover. The model runs on numpy (a lean kernel:
# no torch), so the Linear mode says how it reproduces nn.Linear rather than claim
# to be a torch module.
MODE_TOOLTIPS = (
    "W[i]: take row i of W, as nn.Embedding does",
    "one_hot(i) @ W: the one-hot row vector times W picks out row i",
    "one_hot(i) @ L.T with L = W.T stored as its own (d, V) matrix: exactly what "
    "nn.Linear(V, d, bias=False) with weight L computes (done here in numpy)",
)


def render_result(mode: str, vector: np.ndarray, index: int, disagreement: float) -> str:
    """The selected token's vector as computed by ``mode``, and whether all modes agree."""
    cells = "".join(f'<td class="el-hot">{fmt(x, 4)}</td>' for x in vector)
    agree = disagreement <= 1e-6
    note = ("the three computations give the same vector" if agree
            else "the three computations differ")
    how = esc(MODE_TOOLTIPS[MODES.index(mode)])
    return (f'<div class="el-result" data-mode="{esc(mode)}" data-index="{index}" '
            f'data-values="{values_attr(vector)}" data-agree="{str(agree).lower()}" '
            f'style="{BASE_STYLE}"><b title="{how}">{esc(_FORMULAS[mode].format(i=index))}</b> ='
            f"<table><tr>{cells}</tr></table>"
            f"<small>{note} (largest difference {disagreement:.1e})</small>"
            f'<br><small class="el-result-how">computed as {how}</small></div>')


class LookupExplorer(PlainTextRepr, w.VBox):
    """Token index -> one-hot -> row of W, three equivalent ways.

    ``LookupExplorer(sentence="北京欢迎你", dim=3, embedding=None, seed=0)``

    - Without ``embedding`` the weight is a float32 standard-normal (V, dim) matrix from
      ``numpy.random.default_rng(seed)``; editing ``sentence_box`` rebuilds the
      vocabulary and ``dim_slider`` the width. torch is not imported for this.
    - With ``embedding`` (an ``nn.Embedding``, a (V, d) tensor or array) its weight is
      shown (a copy, taken now). The vocabulary is then fixed: ``sentence`` must have
      exactly V distinct tokens (it names the rows), and ``sentence_box`` and
      ``dim_slider`` are disabled. The weight is copied to numpy (bfloat16 widened
      exactly to float32); torch is used only to read it.
    - All three modes are computed with numpy: ``lookup`` is ``W[i]``, ``one-hot @ W``
      a matrix product, and ``Linear(bias=False)`` what ``nn.Linear`` computes,
      ``one_hot(i) @ L.T`` with its own weight ``L = W.T`` (d, V). The result shows how.

    Controls: ``index_slider``, ``sentence_box``, ``dim_slider``, ``mode_toggle``.
    Shown parts: ``vocab_view``, ``one_hot_view``, ``matrix_view``, ``highlight_view``,
    ``result_view``, ``message_view`` (errors from bad input; nothing else changes).
    Stable hooks for browser tests: ``tr.el-row[data-row=i]`` rows of W,
    ``.el-highlight[data-row]`` the selected row, ``.el-onehot[data-values]`` and
    ``.el-result[data-values][data-mode][data-agree]``.
    """

    def __init__(self, sentence: str = "北京欢迎你", dim: int = 3, embedding: object = None,
                 seed: int = 0):
        self.model = LookupModel(sentence, dim, embedding=embedding, seed=seed)
        self._scope = new_scope("lookup")
        fixed = self.model.fixed
        self.sentence_box = w.Text(value=sentence, description="sentence", disabled=fixed,
                                   continuous_update=False, style=_WIDE)
        self.dim_slider = w.IntSlider(value=self.model.dim, min=1, max=max(MAX_DIM, self.model.dim),
                                      description="dimension d", disabled=fixed, style=_WIDE)
        self.index_slider = w.IntSlider(value=0, min=0, max=self.model.vocab_size - 1,
                                        description="token index", style=_WIDE)
        self.mode_toggle = w.ToggleButtons(options=MODES, value=MODES[0], description="compute by",
                                           tooltips=list(MODE_TOOLTIPS), style=_WIDE)
        self.vocab_view, self.one_hot_view, self.matrix_view = w.HTML(), w.HTML(), w.HTML()
        self.highlight_view, self.result_view, self.message_view = w.HTML(), w.HTML(), w.HTML()
        super().__init__(children=[
            w.HBox([self.sentence_box, self.dim_slider]), self.index_slider, self.vocab_view,
            self.highlight_view, self.one_hot_view, self.matrix_view, self.mode_toggle,
            self.result_view, self.message_view])
        self.add_class(self._scope)
        self._syncing = False
        self.sentence_box.observe(self._on_sentence, names="value")
        self.dim_slider.observe(self._on_dim, names="value")
        self.index_slider.observe(self._on_index, names="value")
        self.mode_toggle.observe(self._on_mode, names="value")
        self._render_weight()

    def plain_text(self) -> str:
        model = self.model
        return (f"LookupExplorer: {model.vocab_size} tokens of {model.sentence!r}, W of shape "
                f"({model.vocab_size}, {model.dim}); token index {model.index} ({model.token}) selects "
                f"row {model.index} of W, computed by {self.mode_toggle.value}")

    # -- callbacks: call the model, then re-render only the parts that depend on it ---------

    def _on_sentence(self, change) -> None:
        try:
            self.model.set_sentence(change["new"])
        except (TypeError, ValueError) as error:
            self.message_view.value = _error(error)
            return
        self._sync_index_slider()
        self._render_weight()

    def _on_dim(self, change) -> None:
        if not self.model.fixed:
            self.model.set_dim(change["new"])
            self._render_weight()

    def _on_index(self, change) -> None:
        if self._syncing:
            return
        self.model.set_index(change["new"])
        self._render_selection()

    def _on_mode(self, change) -> None:
        self._render_result()

    # -- rendering --------------------------------------------------------------------------

    def _render_weight(self) -> None:
        """Everything: the vocabulary or the weight changed."""
        self.message_view.value = ""
        self.vocab_view.value = render_vocab(self.model.tokens)
        self.matrix_view.value = render_matrix(self._scope, self.model.tokens, self.model.weight)
        self._render_selection()

    def _render_selection(self) -> None:
        model = self.model
        self.highlight_view.value = render_highlight(self._scope, model.index, model.token)
        self.one_hot_view.value = render_one_hot(model.tokens, model.one_hot(), model.index)
        self._render_result()

    def _render_result(self) -> None:
        model, mode = self.model, self.mode_toggle.value
        self.result_view.value = render_result(mode, model.result(mode), model.index,
                                               model.disagreement())

    def _sync_index_slider(self) -> None:
        # Shrinking max clamps the slider's value, which would fire _on_index mid-update.
        self._syncing = True
        try:
            with self.index_slider.hold_trait_notifications():
                self.index_slider.max = self.model.vocab_size - 1
                self.index_slider.value = self.model.index
        finally:
            self._syncing = False


def _error(error: Exception) -> str:
    return (f'<div class="el-error" style="{BASE_STYLE} color:#b91c1c;">'
            f"{esc(error)} (nothing was changed)</div>")
