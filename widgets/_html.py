"""Small HTML/SVG helpers shared by the views.

Views render plain HTML strings into ``ipywidgets.HTML`` (no matplotlib, no custom
frontend module), so they look and behave the same in JupyterLab 4, Notebook 7
and Voila. Every instance gets its own CSS scope class so that two widgets in
one notebook never style each other.
"""
from __future__ import annotations

import html
import itertools
import json
import math
import re
import secrets
from typing import Iterable

_scope_ids = itertools.count()

HIGHLIGHT = "#fde68a"   # amber: the selected token/row everywhere
ACCENT = "#b45309"      # darker amber for outlines and the highlighted points
A_COLOUR = "#2563eb"    # vector a (blue)
B_COLOUR = "#dc2626"    # vector b (red)
BASE_STYLE = "font-family: var(--jp-code-font-family, monospace); font-size: 13px;"


def new_scope(kind: str) -> str:
    """A CSS class unique to one widget instance, e.g. ``el-lookup-3-1f2e3d4c``.

    The random part keeps two notebooks open side by side in JupyterLab (one page,
    two kernels whose counters both start at 0) from styling each other's widgets.
    """
    return f"el-{kind}-{next(_scope_ids)}-{secrets.token_hex(4)}"


def esc(text: object) -> str:
    """HTML-escape ``text`` for element content and quoted attribute values."""
    return html.escape(str(text), quote=True)


def fmt(x: float, digits: int = 2) -> str:
    """A number as shown to students: fixed digits, never ``-0.00``."""
    text = f"{float(x):.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


TABLE_CELL = "padding: 2px 8px; border: 1px solid #e5e7eb;"


def ranked_table(title: str, pairs: Iterable[tuple[str, float]], *, row_class: str, table_class: str,
                 name_attr: str, value_attr: str, name_header: str, value_header: str,
                 table_attrs: str = "") -> str:
    """A ranked table of ``(name, value)`` pairs under ``title`` (HTML, already escaped).

    Rows are ``tr.<row_class>[data-rank][data-<name_attr>][data-<value_attr>]``, so
    tests and benchmarks read what is shown without parsing the text.
    """
    rows = "".join(
        f'<tr class="{row_class}" data-rank="{rank}" data-{name_attr}="{esc(name)}" data-{value_attr}="{value:.6f}">'
        f'<td style="{TABLE_CELL}">{rank}</td><td style="{TABLE_CELL}">{esc(name)}</td>'
        f'<td style="{TABLE_CELL} text-align:right;">{fmt(value, 3)}</td></tr>'
        for rank, (name, value) in enumerate(pairs, start=1))
    return (f'<div style="{BASE_STYLE}">{title}<table class="{table_class}"{table_attrs} '
            f'style="border-collapse:collapse;"><tr><th style="{TABLE_CELL}">#</th>'
            f'<th style="{TABLE_CELL}">{name_header}</th><th style="{TABLE_CELL}">{value_header}</th></tr>'
            f'{rows}</table></div>')


def values_attr(values: Iterable[float]) -> str:
    """A vector as a JSON list for a ``data-values`` attribute (6 decimals, escaped)."""
    return esc(json.dumps([round(float(v), 6) for v in values]))


def heat(x: float, scale: float) -> str:
    """Background colour of a matrix cell: blue for negative, red for positive.

    Short ``#rrggbbaa`` form: a (50 x 16) matrix has 800 of them to send.
    """
    strength = 0.0 if scale <= 0 else min(abs(float(x)) / scale, 1.0)
    if not math.isfinite(strength):
        strength = 1.0
    alpha = round(255 * (0.08 + 0.45 * strength))
    return f"#{'dc2626' if x > 0 else '2563eb'}{alpha:02x}"


def inline_markdown(text: str) -> str:
    """Escape ``text``, then render only two markdown spans: **bold** and `code`.

    Quiz questions are written like the notebook's markdown; nothing else is rendered,
    so a question can never inject HTML.
    """
    html_text = esc(text)
    html_text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", html_text)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html_text)
