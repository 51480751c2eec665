"""ClozeExplorer: type a sentence with [MASK], see the pretrained encoder's guesses.

A thin view over :class:`ClozeModel` (numpy; no torch in the kernel). Typing in the
sentence box (Enter), picking an example, moving the ``k`` slider or choosing which
blank to inspect re-renders two HTML parts: the sentence, each character shaded by how
much the chosen blank attends to it, and one table of predictions per blank.
"""
from __future__ import annotations

import ipywidgets as w
import numpy as np

from ._cloze_model import MASK_TOKEN, Blank, ClozeModel
from ._html import ACCENT, BASE_STYLE, HIGHLIGHT, TABLE_CELL, esc, fmt
from ._plain import PlainTextRepr

EXAMPLES = (
    "中华人民共和[MASK]",
    "[MASK][MASK]是法国的首都。",
    "法国首都[MASK][MASK]",
    "香港特别行政[MASK]",
    "我们要坚持改革开[MASK]。",
    "他在银[MASK]工作。",
    "今天天气很[MASK]。",
)
_OWN = "(your own sentence)"
_WIDE = {"description_width": "initial"}


def render_sentence(tokens: list[str], blanks: list[Blank], chosen: int) -> str:
    """The tokens as boxes: blanks outlined, the rest shaded by the chosen blank's attention."""
    attention = blanks[chosen].attention if blanks else np.zeros(len(tokens))
    top = float(attention.max()) if len(attention) else 0.0
    cells = []
    blank_at = {b.position: n for n, b in enumerate(blanks)}
    for i, token in enumerate(tokens):
        share = float(attention[i]) if i < len(attention) else 0.0
        if i in blank_at:
            n = blank_at[i]
            style = f"border:2px solid {ACCENT}; background:{HIGHLIGHT if n == chosen else '#fff'};"
            label = f"[{n + 1}]"
        else:
            alpha = 0.0 if top <= 0 else share / top
            style = f"border:1px solid #e5e7eb; background:rgba(37, 99, 235, {0.75 * alpha:.3f});"
            label = esc(token)
        cells.append(f'<span class="el-cloze-token" data-index="{i}" data-token="{esc(token)}" '
                     f'data-attention="{share:.6f}" title="attention {fmt(share * 100, 1)}%" '
                     f'style="display:inline-block; min-width:1.4em; text-align:center; margin:1px; '
                     f'padding:3px 2px; font-size:18px; {style}">{label}</span>')
    note = ("<small>Shading: how much blank [{}] attends to each character in the last layer "
            "(mean of the heads). Attention shows where the model looked, not why it chose."
            "</small>".format(chosen + 1)) if blanks else ""
    return f'<div class="el-cloze-sentence" style="{BASE_STYLE}">{"".join(cells)}<br>{note}</div>'


def render_predictions(blanks: list[Blank]) -> str:
    """One table per blank: rank, character, probability (with a bar)."""
    tables = []
    for n, blank in enumerate(blanks):
        rows = "".join(
            f'<tr class="el-cloze-prediction" data-blank="{n}" data-rank="{rank}" data-token="{esc(token)}" '
            f'data-probability="{p:.6f}"><td style="{TABLE_CELL}">{rank}</td>'
            f'<td style="{TABLE_CELL} font-size:18px;">{esc(token)}</td>'
            f'<td style="{TABLE_CELL} text-align:right;">{fmt(p * 100, 1)}%</td>'
            f'<td style="{TABLE_CELL} width:110px;"><div style="background:{ACCENT}; height:10px; '
            f'width:{max(1, round(100 * p))}px;"></div></td></tr>'
            for rank, (token, p) in enumerate(blank.predictions, start=1))
        tables.append(f'<div style="display:inline-block; vertical-align:top; margin-right:16px;">'
                      f'<b>blank [{n + 1}]</b><table class="el-cloze-blank" data-blank="{n}" '
                      f'style="border-collapse:collapse;"><tr><th style="{TABLE_CELL}">#</th>'
                      f'<th style="{TABLE_CELL}">character</th><th style="{TABLE_CELL}">probability</th>'
                      f'<th style="{TABLE_CELL}"></th></tr>{rows}</table></div>')
    return f'<div class="el-cloze-predictions" style="{BASE_STYLE}">{"".join(tables)}</div>'


class ClozeExplorer(PlainTextRepr, w.VBox):
    """Fill the blanks of a sentence with a6's pretrained encoder.

    ``ClozeExplorer(sentence="中华人民共和[MASK]", k=5, model=None)``. Write ``[MASK]``
    where a character is hidden (several are allowed). Controls: ``example_dropdown``,
    ``sentence_box`` (applied on Enter), ``k_slider``, ``blank_buttons`` (which blank's
    attention is shaded). Shown parts: ``sentence_view`` (``.el-cloze-token[data-attention]``),
    ``predictions_view`` (``tr.el-cloze-prediction[data-blank][data-rank][data-token]
    [data-probability]``) and ``message_view`` (what is wrong with the sentence, if anything).
    """

    def __init__(self, sentence: str = EXAMPLES[0], k: int = 5, model: ClozeModel | None = None):
        self.model = model or ClozeModel.load()
        self.example_dropdown = w.Dropdown(options=[_OWN, *EXAMPLES],
                                           value=sentence if sentence in EXAMPLES else _OWN,
                                           description="example", style=_WIDE)
        self.sentence_box = w.Text(value=sentence, description="sentence", continuous_update=False,
                                   style=_WIDE, layout=w.Layout(width="420px"))
        self.k_slider = w.IntSlider(value=k, min=1, max=10, description="top k", style=_WIDE)
        self.blank_buttons = w.ToggleButtons(options=[], description="attention of", style=_WIDE)
        self.sentence_view, self.predictions_view, self.message_view = w.HTML(), w.HTML(), w.HTML()
        super().__init__(children=[w.HBox([self.example_dropdown, self.sentence_box]),
                                   w.HBox([self.k_slider, self.blank_buttons]),
                                   self.message_view, self.sentence_view, self.predictions_view])
        self.tokens: list[str] = []
        self.blanks: list[Blank] = []
        self.example_dropdown.observe(self._pick, names="value")
        self.sentence_box.observe(lambda _: self._fill(), names="value")
        self.k_slider.observe(lambda _: self._fill(), names="value")
        self._quiet = False
        self.blank_buttons.observe(lambda _: None if self._quiet else self._render_sentence(), names="value")
        self._fill()

    def plain_text(self) -> str:
        guesses = "; ".join(f"[{n + 1}] " + ", ".join(f"{t} {fmt(p * 100, 1)}%" for t, p in b.predictions[:3])
                            for n, b in enumerate(self.blanks)) or "no blank"
        return f"ClozeExplorer: {self.sentence_box.value!r}: {guesses}"

    def _pick(self, change) -> None:
        if change["new"] != _OWN:
            self.sentence_box.value = change["new"]

    def _fill(self) -> None:
        text = self.sentence_box.value
        shown = text if text in EXAMPLES else _OWN  # the dropdown names what the box holds
        if self.example_dropdown.value != shown:
            self.example_dropdown.value = shown
        try:
            self.tokens, self.blanks = self.model.fill(text, self.k_slider.value)
            message = "" if self.blanks else f"Write {MASK_TOKEN} where a character is hidden."
        except ValueError as error:
            self.tokens, self.blanks, message = [], [], str(error)
        unknown = sorted({t for t in self.tokens if t != MASK_TOKEN and t not in self.model.vocab})
        if unknown:
            message += (" " if message else "") + (f"Not among the {len(self.model.vocab) - 4:,} characters the "
                                                   f"model knows (read as [UNK]): {' '.join(unknown)}")
        self.message_view.value = f'<div class="el-cloze-message" style="{BASE_STYLE} color:#b91c1c;">{esc(message)}</div>'
        options = [f"blank [{n + 1}]" for n in range(len(self.blanks))]
        if list(self.blank_buttons.options) != options:
            self._quiet = True  # the sentence is drawn once, below
            try:
                self.blank_buttons.options = options
                if options and self.blank_buttons.value not in options:
                    self.blank_buttons.value = options[0]
            finally:
                self._quiet = False
        self.predictions_view.value = render_predictions(self.blanks)
        self._render_sentence()

    def _render_sentence(self) -> None:
        chosen = 0
        if self.blank_buttons.value:
            chosen = list(self.blank_buttons.options).index(self.blank_buttons.value)
        self.sentence_view.value = render_sentence(self.tokens, self.blanks, chosen)
