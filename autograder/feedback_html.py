"""How nbgrader's feedback HTML and formgrader pages show a notebook: offline and readable.

nbgrader's ``feedback`` and ``formgrade`` templates load MathJax from a CDN, so a student who
opens the feedback offline sees a4's formula as raw TeX, and the page reaches out to another
host. The course's ``nbgrader_config.py`` (``autograder.course.config_text``) sets, for nbconvert's
``HTMLExporter``:

- ``filters``: :func:`markdown2html`, nbconvert's own markdown rendering with ``$...$`` and
  ``$$...$$`` turned into MathML by ``latex2mathml`` (pure Python), which Chromium, Firefox and
  Safari draw natively: no script at all;
- ``extra_template_basedirs``: :data:`TEMPLATES` first, whose ``mathjax.html.j2`` (one for each of
  nbgrader's two templates) replaces the macro that loaded MathJax in the page's head with one that
  loads nothing and adds the few styles nbgrader's pages lack: markdown tables with borders and
  spacing, long output lines wrapped instead of cut at the box's edge.
"""
from __future__ import annotations

import html
from pathlib import Path

from jinja2 import pass_context
from latex2mathml.converter import convert
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

TEMPLATES = Path(__file__).resolve().parent / "nbconvert_templates"
"""Template folders named after nbgrader's (``feedback``, ``formgrade``), searched before them."""


def template_basedirs() -> list[str]:
    """Where nbconvert looks for nbgrader's templates: ours first, then nbgrader's own."""
    import nbgrader

    return [str(TEMPLATES), str(Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates")]


def tex_as_mathml(tex: str, block: bool) -> str:
    """MathML for a piece of TeX; TeX that latex2mathml cannot read is shown as code, as written."""
    try:
        return convert(tex, display="block" if block else "inline")
    except Exception:  # latex2mathml raises its own errors, and others, on TeX it does not know
        shown = html.escape(f"$${tex}$$" if block else f"${tex}$")
        return f"<code>{shown}</code>"


class MathMLRenderer(IPythonRenderer):
    """nbconvert's markdown renderer, with math rendered as MathML instead of left for MathJax."""

    def block_math(self, body: str) -> str:
        return tex_as_mathml(body, block=True)

    def inline_math(self, body: str) -> str:
        return tex_as_mathml(body, block=False)

    def latex_environment(self, name: str, body: str) -> str:
        return tex_as_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", block=True)


@pass_context
def markdown2html(context, source: str) -> str:
    """``HTMLExporter.markdown2html`` (attachments and the cell's path as there), math as MathML."""
    cell = context.get("cell", {})
    renderer = MathMLRenderer(escape=False, attachments=cell.get("attachments", {}),
                              path=context.get("resources", {}).get("metadata", {}).get("path", ""))
    return MarkdownWithMath(renderer=renderer).render(source)
