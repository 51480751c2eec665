"""The Projector (our own Embedding Projector) and WordMap: thin views over ProjectorModel.

Everything is drawn as HTML/SVG strings into ``ipywidgets.HTML``; clicking a word is a
click on one of the ``word_buttons`` (a ToggleButtons row under the map), so a test sets
``.value`` exactly as a click does.
"""
from __future__ import annotations

from typing import Sequence

import ipywidgets as w
import numpy as np

from ._html import ACCENT, BASE_STYLE, HIGHLIGHT, esc, fmt, new_scope, ranked_table
from ._projector_model import DATASETS, ProjectorModel, parse_words

_W, _H, _PAD = 600, 440, 24       # map size in SVG pixels and the margin around the points
_LABEL_ROOM = 110                 # labels are written right of their point: keep room for them
_CHAR_W, _LINE_H = 7.2, 14        # rough size of a 13px label character and line, for nudging
_NEIGHBOUR = "#6b7280"            # grey: words added to the map as neighbours
_WORD = "#1d4ed8"                 # blue: the words asked for
_OWN = "(your own words)"


def _scale(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    span = float(values.max() - values.min())
    if span == 0:
        return np.full(len(values), (lo + hi) / 2)
    return lo + (values - values.min()) / span * (hi - lo)


def _nudged(boxes: list[tuple[float, float, float]], points: Sequence[tuple[float, float]] = ()) -> list[float]:
    """Label baselines moved down, one line at a time, until no label overlaps another
    label or a point.

    ``boxes`` are ``(x, y, width)`` of each label in drawing order, ``points`` the
    ``(cx, cy)`` of every dot; greedy and cheap (a map shows a few dozen words), which
    is all a readable map needs.
    """
    placed: list[tuple[float, float, float]] = [(cx - 5, cy + 4, 10) for cx, cy in points]
    out = []
    for x, y, width in boxes:
        while any(abs(y - py) < _LINE_H and x < px + pw and px < x + width for px, py, pw in placed):
            y += _LINE_H
        placed.append((x, y, width))
        out.append(y)
    return out


def render_map(words: Sequence[str], coords: np.ndarray, selected: str | None = None,
               extra: Sequence[str] = (), title: str = "PCA of the words shown", clickable: bool = True) -> str:
    """The words at their 2-D coordinates; ``extra`` words (neighbours) drawn in grey.

    ``clickable``: the map belongs to a view where a word can be clicked for its neighbours
    (the Projector), so the legend names them; a static map's legend does not."""
    coords = np.asarray(coords, dtype=np.float64).reshape(len(words), 2)
    top = _PAD + 16  # below the title
    xs = _scale(coords[:, 0], _PAD, _W - _LABEL_ROOM) if len(words) else np.zeros(0)
    ys = _scale(-coords[:, 1], top, _H - _PAD) if len(words) else np.zeros(0)  # SVG y grows down
    label_ys = _nudged([(x + 7, y + 4, _CHAR_W * len(word)) for word, x, y in zip(words, xs, ys)], list(zip(xs, ys)))
    extra = set(extra)
    marks = []
    for word, cx, cy, ly, (x, y) in zip(words, xs, ys, label_ys, coords):
        colour = _NEIGHBOUR if word in extra else _WORD
        chosen = word == selected
        flag, weight = (' data-selected="1"', ' font-weight="bold"') if chosen else ("", "")
        leader = (f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{cx + 6:.1f}" y2="{ly - 4:.1f}" stroke="#d1d5db"/>'
                  if ly - (cy + 4) > 1 else "")
        marks.append(
            f'<g class="el-map-word" data-word="{esc(word)}" data-x="{x:.5f}" data-y="{y:.5f}"{flag}>{leader}'
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{6 if chosen else 4}" fill="{ACCENT if chosen else colour}"/>'
            f'<text x="{cx + 7:.1f}" y="{ly:.1f}" font-size="13" fill="{ACCENT if chosen else colour}"{weight}>'
            f'{esc(word)}</text></g>')
    neighbours = f'  <tspan fill="{_NEIGHBOUR}">&#9679; neighbours of the clicked word</tspan>' if clickable else ""
    legend = (f'<text x="{_W - 8}" y="16" font-size="11" fill="#6b7280" text-anchor="end">'
              f'<tspan fill="{_WORD}">&#9679; words asked for</tspan>{neighbours}</text>')
    return (f'<svg class="el-map" width="{_W}" height="{_H}" viewBox="0 0 {_W} {_H}" '
            f'data-count="{len(words)}" style="background:#fafafa; border:1px solid #e5e7eb;">'
            f'<text x="8" y="16" font-size="12" fill="#374151">{esc(title)}</text>{legend}'
            f'{"".join(marks)}</svg>')


def render_pairs(title: str, pairs: Sequence[tuple[str, float]], kind: str, column: str = "cos") -> str:
    """A ranked table of ``(word, value)`` pairs, rows ``tr.el-<kind>[data-word][data-value]``."""
    return ranked_table(title, pairs, row_class=f"el-{kind}", table_class=f"el-{kind}s", name_attr="word",
                        value_attr="value", name_header="word", value_header=column)


def render_axis(negative: Sequence[str], positive: Sequence[str], words: Sequence[str],
                scores: Sequence[float]) -> str:
    """One bar per word, sorted by its score along the axis negative -> positive.

    Bars grow left (towards ``negative``) or right from a centre line; the scale is the
    largest score's size, printed at both ends, so small differences stay visible.
    """
    row, label_w, value_w = 18, 110, 52
    width = _W
    half = (width - label_w - value_w) / 2
    centre = label_w + half
    reach = max([abs(s) for s in scores] + [1e-6])
    order = sorted(zip(words, scores), key=lambda pair: pair[1])
    height = 40 + row * len(order)
    bars = []
    for i, (word, score) in enumerate(order):
        y = 30 + i * row
        length = abs(score) / reach * (half - 8)
        x = centre if score >= 0 else centre - length
        colour = _WORD if score >= 0 else "#db2777"
        bars.append(f'<g class="el-axis-word" data-word="{esc(word)}" data-score="{score:.6f}">'
                    f'<text x="{label_w - 6}" y="{y + 12}" font-size="12" text-anchor="end">{esc(word)}</text>'
                    f'<rect x="{x:.1f}" y="{y + 2}" width="{max(length, 1):.1f}" height="{row - 5}" fill="{colour}" '
                    f'opacity="0.75"/><text x="{width - 4}" y="{y + 12}" font-size="12" text-anchor="end">'
                    f'{fmt(score, 3)}</text></g>')
    return (f'<svg class="el-axis" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'style="background:#fafafa; border:1px solid #e5e7eb;">'
            f'<text x="{label_w}" y="16" font-size="12" fill="#db2777">&#8592; {esc(", ".join(negative))} '
            f'({fmt(-reach, 2)})</text>'
            f'<text x="{width - value_w}" y="16" font-size="12" fill="{_WORD}" text-anchor="end">'
            f'({fmt(reach, 2)}) {esc(", ".join(positive))} &#8594;</text>'
            f'<line x1="{centre:.1f}" y1="24" x2="{centre:.1f}" y2="{height - 6}" stroke="#9ca3af"/>'
            f'{"".join(bars)}</svg>')


def _note(text: str) -> str:
    return f'<div class="el-note" style="{BASE_STYLE} color:#92400e;">{text}</div>' if text else ""


class WordMap(w.VBox):
    """Words drawn at given 2-D coordinates: ``WordMap(words, coords)``, e.g. with your own
    ``project_2d`` (a tensor or array of shape (n, 2)). Shown: ``map_view``."""

    def __init__(self, words: Sequence[str], coords: object, title: str = "2-D projection"):
        matrix = np.array(coords.detach().cpu().numpy() if hasattr(coords, "detach") else coords, dtype=np.float64)
        if matrix.shape != (len(words), 2):
            raise ValueError(f"coords must have shape ({len(words)}, 2), one row per word; got {matrix.shape}")
        self.map_view = w.HTML(render_map(list(words), matrix, title=title, clickable=False))
        super().__init__(children=[self.map_view])


class Projector(w.VBox):
    """Our own Embedding Projector over the most frequent GloVe words, or a6's Chinese characters.

    ``Projector(model=None, words=None, k=8, *, vocab=None, vectors=None, dataset="glove")``:
    ``model`` a :class:`ProjectorModel`, or the ``vocab`` and ``vectors`` a notebook already
    holds; without either, the data set ``dataset`` (``"glove"``: the 50,000 most frequent
    GloVe words; ``"chinese"``: the 3,000 characters of a6's pretrained encoder, where a
    word such as 北京 is the mean of its characters); ``words`` the words shown first.
    Controls: ``dataset_dropdown`` (only when serving a data set), ``preset_dropdown``,
    ``words_text`` (type words), ``word_buttons`` (click a word), ``show_neighbours`` (add
    its neighbours to the map), ``k_slider``, the analogy boxes ``analogy_a``/``analogy_b``/
    ``analogy_c`` and the axis boxes ``axis_negative``/``axis_positive``. Shown: ``map_view``
    (``svg.el-map`` with ``g.el-map-word[data-word]``), ``neighbours_view``, ``analogy_view``,
    ``axis_view``, ``note_view``.
    """

    def __init__(self, model: ProjectorModel | None = None, words: str | Sequence[str] | None = None,
                 k: int = 8, *, vocab: dict[str, int] | None = None, vectors: object = None,
                 dataset: str = "glove"):
        if model is None and vocab is not None and vectors is not None:
            # Vectors a notebook already loaded (a {word: row} dict and a tensor or array).
            model = ProjectorModel(sorted(vocab, key=vocab.__getitem__), np.asarray(vectors))
        if dataset not in DATASETS:
            raise ValueError(f"dataset must be one of {', '.join(DATASETS)}; got {dataset!r}")
        self._models: dict[str, ProjectorModel] = {}
        self.data = DATASETS[dataset]
        self.model = model if model is not None else self._load(dataset)
        self.scope = new_scope("projector")
        presets = self.data.presets
        first = next(iter(presets))
        text = presets[first] if words is None else (words if isinstance(words, str) else " ".join(words))
        self.dataset_dropdown = w.Dropdown(options=[(d.label, key) for key, d in DATASETS.items()], value=dataset,
                                           description="vectors", layout=w.Layout(width="420px"))
        self.dataset_dropdown.layout.display = "none" if model is not None else None
        self.preset_dropdown = w.Dropdown(options=[*presets, _OWN], value=first if words is None else _OWN,
                                          description="words")
        self.words_text = w.Text(value=text, continuous_update=False, description="type",
                                 layout=w.Layout(width="560px"))
        self.word_buttons = w.ToggleButtons(options=[], description="click", style={"button_width": "auto"})
        self.show_neighbours = w.Checkbox(value=True, description="add its neighbours to the map", indent=False)
        self.k_slider = w.IntSlider(value=k, min=1, max=20, description="neighbours")
        self.map_view, self.neighbours_view, self.note_view = w.HTML(), w.HTML(), w.HTML()
        self.analogy_a, self.analogy_b, self.analogy_c = (
            w.Text(value=v, continuous_update=False, layout=w.Layout(width="110px")) for v in self.data.analogy)
        self.analogy_view = w.HTML()
        self.axis_negative = w.Text(value=self.data.axis[0], continuous_update=False, description="from",
                                    layout=w.Layout(width="270px"))
        self.axis_positive = w.Text(value=self.data.axis[1], continuous_update=False, description="to",
                                    layout=w.Layout(width="270px"))
        self.axis_view = w.HTML()
        analogy_row = w.HBox([self.analogy_a, w.HTML("&nbsp;is to&nbsp;"), self.analogy_b,
                              w.HTML("&nbsp;as&nbsp;"), self.analogy_c, w.HTML("&nbsp;is to ?")])
        super().__init__(children=[
            self.dataset_dropdown, w.HBox([self.preset_dropdown, self.words_text]), self.note_view, self.word_buttons,
            w.HBox([self.map_view, w.VBox([self.show_neighbours, self.k_slider, self.neighbours_view])]),
            w.HTML("<b>Analogy</b>"), analogy_row, self.analogy_view,
            w.HTML("<b>Axis</b>: the words you typed or picked (not the grey neighbours), each scored by its "
                   "cosine with the direction from the first list's mean to the second's"),
            w.HBox([self.axis_negative, self.axis_positive]), self.axis_view])
        self.add_class(self.scope)
        self._quiet = False  # True while a data-set switch sets several controls at once
        self.dataset_dropdown.observe(self._switch_dataset, names="value")
        self.preset_dropdown.observe(self._preset, names="value")
        self.words_text.observe(self._react(self._words_changed), names="value")
        for control in (self.word_buttons, self.show_neighbours, self.k_slider):
            control.observe(self._react(self._render_map), names="value")
        for box in (self.analogy_a, self.analogy_b, self.analogy_c):
            box.observe(self._react(self._render_analogy), names="value")
        for box in (self.axis_negative, self.axis_positive):
            box.observe(self._react(self._render_axis), names="value")
        self._words_changed()
        self._render_analogy()

    def _react(self, render):
        return lambda _: None if self._quiet else render()

    def _load(self, dataset: str) -> ProjectorModel:
        if dataset not in self._models:  # each data set is read once, when first chosen
            self._models[dataset] = DATASETS[dataset].load()
        return self._models[dataset]

    def _switch_dataset(self, change) -> None:
        """Serve another data set: its vectors, presets and starting words."""
        self.data, self.model = DATASETS[change["new"]], self._load(change["new"])
        first = next(iter(self.data.presets))
        self._quiet = True
        try:
            for box, value in zip((self.analogy_a, self.analogy_b, self.analogy_c, self.axis_negative,
                                   self.axis_positive), (*self.data.analogy, *self.data.axis)):
                box.value = value
            self.preset_dropdown.options = [*self.data.presets, _OWN]
            self.preset_dropdown.value = first
            self.words_text.value = self.data.presets[first]
        finally:
            self._quiet = False
        self._words_changed()
        self._render_analogy()

    # --- reactions ---------------------------------------------------------------

    def _preset(self, change) -> None:
        if change["new"] != _OWN and not self._quiet:
            self.words_text.value = self.data.presets[change["new"]]

    def _words_changed(self) -> None:
        preset = self.preset_dropdown.value
        if preset != _OWN and self.words_text.value != self.data.presets.get(preset):
            self.preset_dropdown.value = _OWN  # typed words are no longer the preset's
        known, unknown = self.model.split_known(parse_words(self.words_text.value))
        self.shown = known
        note = ""
        if unknown:
            note = f"not among the {len(self.model.words):,} {self.data.served}: {esc(', '.join(unknown))}"
        self.note_view.value = _note(note)
        selected = self.word_buttons.value if self.word_buttons.value in known else (known[0] if known else None)
        with self.hold_trait_notifications():
            self.word_buttons.options = known
            self.word_buttons.value = selected
        self._render_map()
        self._render_axis()

    def _render_map(self) -> None:
        selected = self.word_buttons.value
        words, extra = list(self.shown), []
        if selected:
            pairs = self.model.neighbours(selected, self.k_slider.value)
            self.neighbours_view.value = render_pairs(
                f'nearest to <b style="background:{HIGHLIGHT};">{esc(selected)}</b> by cosine', pairs, "neighbour")
            if self.show_neighbours.value:
                extra = [word for word, _ in pairs if word not in self.shown]
                words += extra
        else:
            self.neighbours_view.value = ""
        if len(words) < 2:
            self.map_view.value = render_map(words, np.zeros((len(words), 2)),
                                             title="type at least two words to see a map")
            return
        self.map_view.value = render_map(words, self.model.project(words), selected, extra)

    def _render_analogy(self) -> None:
        a, b, c = (parse_words(box.value)[:1] for box in (self.analogy_a, self.analogy_b, self.analogy_c))
        if not (a and b and c):
            self.analogy_view.value = _note("type one word in each box")
            return
        try:
            pairs = self.model.analogy(a[0], b[0], c[0], k=5)
        except KeyError as error:
            self.analogy_view.value = _note(esc(error.args[0]))
            return
        self.analogy_view.value = render_pairs(
            f"{esc(b[0])} - {esc(a[0])} + {esc(c[0])} is closest to", pairs, "analogy")

    def _render_axis(self) -> None:
        negative, unknown_n = self.model.split_known(parse_words(self.axis_negative.value))
        positive, unknown_p = self.model.split_known(parse_words(self.axis_positive.value))
        if unknown_n or unknown_p:
            self.axis_view.value = _note(f"not served: {esc(', '.join(unknown_n + unknown_p))}")
            return
        try:
            scores = self.model.axis_scores(self.shown, negative, positive)
        except ValueError as error:
            self.axis_view.value = _note(esc(error))
            return
        self.axis_view.value = render_axis(negative, positive, self.shown, scores)
