"""The landing page: one link per dashboard (plain HTML, no kernel needed)."""
from __future__ import annotations

import html
from typing import Sequence

from ._catalog import Dashboard

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>embedding-lab dashboards</title>
<style>
body {{ font-family: sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1f2937; }}
li {{ margin: 0 0 1rem; }} a {{ font-size: 1.1rem; }} p {{ margin: .2rem 0; }}
.tag {{ font-size: .8rem; background: #fde68a; border-radius: 4px; padding: 0 .3rem; }}
</style></head>
<body><h1>embedding-lab dashboards</h1>
<p>What an embedding is, shown interactively. Each link starts its own kernel.</p>
<ul class="dashboards">{items}</ul></body></html>
"""


def landing_page(dashboards: Sequence[Dashboard], base_url: str = "/") -> str:
    """The HTML of the landing page; links are absolute below ``base_url``."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    items = "".join(
        f'<li class="dashboard" data-slug="{d.slug}">'
        f'<a href="{html.escape(base + d.url_path)}">{html.escape(d.title)}</a>'
        f'{" <span class=tag>instructor</span>" if d.instructor_only else ""}'
        f"<p>{html.escape(d.summary)}</p></li>"
        for d in dashboards)
    return _PAGE.format(items=items)
