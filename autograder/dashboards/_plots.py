"""Small SVG plots for the class report, as plain strings.

No matplotlib: it is not a dependency, and an SVG string in an ``ipywidgets.HTML``
renders the same in Voila, JupyterLab and a saved page. Every mark carries
``data-*`` attributes with its numbers, so the browser tests (and screen readers,
through ``<title>``) read exact values rather than pixels.
"""
from __future__ import annotations

import html
from typing import Sequence

from autograder.class_report import Bin, CellSummary

FULL, PARTIAL, ZERO, UNTOUCHED, NOT_GRADED = "#16a34a", "#f59e0b", "#dc2626", "#9ca3af", "#4b5563"
BAR = "#2563eb"
_FONT = 'font-family="sans-serif" font-size="11"'


def _num(x: float) -> str:
    return f"{x:g}"


def histogram_svg(bins: Sequence[Bin], title: str, width: int = 360, height: int = 170) -> str:
    """Vertical bars, one per bin, labelled with their count and score range."""
    top, bottom, left = 34, 34, 14  # top: room for the title above the tallest bar's count
    plot_h = height - top - bottom
    slot = (width - 2 * left) / max(len(bins), 1)
    tallest = max((b.count for b in bins), default=0) or 1
    marks = []
    for i, b in enumerate(bins):
        bar_h = plot_h * b.count / tallest
        x, y = left + i * slot + 2, top + plot_h - bar_h
        label = f"{_num(round(b.lo, 2))}–{_num(round(b.hi, 2))}"
        marks.append(
            f'<rect class="bar" data-lo="{b.lo:g}" data-hi="{b.hi:g}" data-count="{b.count}" '
            f'x="{x:.1f}" y="{y:.1f}" width="{slot - 4:.1f}" height="{bar_h:.1f}" fill="{BAR}">'
            f"<title>{b.count} {'student' if b.count == 1 else 'students'} scored {label}</title></rect>"
            f'<text x="{x + (slot - 4) / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" {_FONT}>'
            f"{b.count if b.count else ''}</text>"
            f'<text x="{left + i * slot:.1f}" y="{height - bottom + 14}" text-anchor="middle" '
            f'{_FONT} fill="#555">{_num(round(b.lo, 2))}</text>')
    if bins:  # the right edge of the last bin: the maximum score
        marks.append(f'<text x="{left + len(bins) * slot:.1f}" y="{height - bottom + 14}" '
                     f'text-anchor="middle" {_FONT} fill="#555">{_num(round(bins[-1].hi, 2))}</text>')
    return (f'<svg class="histogram" role="img" aria-label="{html.escape(title)}" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
            f'<text x="{left}" y="14" {_FONT} font-weight="bold">{html.escape(title)}</text>'
            f'<line x1="{left}" x2="{width - left}" y1="{top + plot_h}" y2="{top + plot_h}" '
            f'stroke="#999"/>{"".join(marks)}'
            f'<text x="{width / 2}" y="{height - 4}" text-anchor="middle" {_FONT} fill="#555">'
            f"points</text></svg>")


def cell_bars_svg(cells: Sequence[CellSummary], width: int = 760, row_h: int = 20) -> str:
    """One horizontal bar per test cell, split into full / partial / no points / not attempted /
    could not be graded.

    Cells are drawn in the order given (the notebook's, see ``class_report.in_notebook_order``)
    under a heading per assignment, each labelled with its whole grade_id.
    """
    pad = 4
    labels = [f"{c.grade_id} ({_num(c.max_score)} pt)" for c in cells]
    label_w = max([int(6.4 * len(t)) + 16 for t in labels] + [120])  # 11px sans: about 6.4 px a character
    bar_w = max(width - label_w - 20, 200)
    width = label_w + bar_w + 20
    rows, y = [], 24
    current = None
    for c, label in zip(cells, labels):
        if c.assignment != current:
            current = c.assignment
            y += 6
            rows.append(f'<text class="cell-group" x="4" y="{y + row_h - pad - 4}" {_FONT} '
                        f'font-weight="bold">{html.escape(c.assignment)}</text>')
            y += row_h
        n = c.submissions or 1
        x = label_w
        parts = []
        for kind, count, colour in (("full", c.full, FULL), ("partial", c.partial, PARTIAL),
                                    ("zero", c.zero, ZERO), ("untouched", c.not_attempted, UNTOUCHED),
                                    ("not-graded", c.not_graded, NOT_GRADED)):
            w = bar_w * count / n
            if count:
                parts.append(
                    f'<rect class="cell-{kind}" data-count="{count}" x="{x:.1f}" y="{y}" '
                    f'width="{w:.1f}" height="{row_h - pad}" fill="{colour}">'
                    f"<title>{c.assignment}.{html.escape(c.grade_id)}: {count} {_KIND_NAMES[kind]}</title></rect>"
                    f'<text x="{x + w / 2:.1f}" y="{y + row_h - pad - 4}" text-anchor="middle" '
                    f'{_FONT} fill="white">{count}</text>')
            x += w
        rows.append(
            f'<g class="cell-row" data-cell="{c.assignment}.{html.escape(c.grade_id)}" '
            f'data-full="{c.full}" data-partial="{c.partial}" data-zero="{c.zero}" '
            f'data-untouched="{c.not_attempted}" data-not-graded="{c.not_graded}">'
            f'<text x="{label_w - 6}" y="{y + row_h - pad - 4}" text-anchor="end" {_FONT}>'
            f"{html.escape(label)}</text>"
            f'{"".join(parts)}</g>')
        y += row_h
    legend, x = [], 4.0  # from the left edge: five entries need more room than the bars have
    for name, colour in (("full points", FULL), ("some points", PARTIAL), ("no points (a mistake)", ZERO),
                         ("not attempted", UNTOUCHED), ("could not be graded", NOT_GRADED)):
        legend.append(f'<rect x="{x:.0f}" y="4" width="10" height="10" fill="{colour}"/>'
                      f'<text x="{x + 14:.0f}" y="13" {_FONT}>{name}</text>')
        x += 14 + 6.4 * len(name) + 18
    legend = "".join(legend)
    height = y + 6
    return (f'<svg class="cell-bars" role="img" aria-label="submissions per test cell" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
            f"{legend}{''.join(rows)}</svg>")


_KIND_NAMES = {"full": "with full points", "partial": "with some points", "zero": "with no points",
               "untouched": "not attempted", "not-graded": "that could not be graded"}


def hbar_svg(rows: Sequence[tuple[str, float, str]], max_value: float, kind: str,
             value_label=_num, width: int = 560, row_h: int = 20, colour: str = BAR) -> str:
    """Horizontal bars ``(label, value, tooltip)`` scaled to ``max_value``.

    ``kind`` names the chart (``failures``, ``help``) in its CSS class.
    """
    label_w = 230
    bar_w = width - label_w - 50
    height = row_h * len(rows) + 8
    scale = bar_w / max_value if max_value > 0 else 0.0
    marks = []
    for i, (label, value, tooltip) in enumerate(rows):
        y = 4 + i * row_h
        w = value * scale
        shown = label if len(label) <= 36 else label[:35] + "…"
        marks.append(
            f'<g class="{kind}-row" data-label="{html.escape(label)}" data-value="{value:g}">'
            f'<text x="{label_w - 6}" y="{y + row_h - 8}" text-anchor="end" {_FONT}>'
            f"{html.escape(shown)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{row_h - 4}" fill="{colour}">'
            f"<title>{html.escape(tooltip)}</title></rect>"
            f'<text x="{label_w + w + 4:.1f}" y="{y + row_h - 8}" {_FONT}>'
            f"{html.escape(value_label(value))}</text></g>")
    return (f'<svg class="{kind}-bars" role="img" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">{"".join(marks)}</svg>')
