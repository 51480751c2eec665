"""Feedback HTML and formgrader pages, as the course's nbgrader_config.py makes nbconvert render them:
math as MathML (nothing from a CDN), tables with borders, long output lines wrapped."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import nbformat
import pytest

from autograder.course import config_text
from autograder.feedback_html import TEMPLATES, markdown2html, tex_as_mathml

REPO = Path(__file__).resolve().parent.parent
A4 = REPO / "assignments" / "a4_training" / "a4_training.ipynb"


def course_config():
    from traitlets.config import Config

    config = Config()
    exec(compile(config_text(), "nbgrader_config.py", "exec"), {"get_config": lambda: config})
    return config


def feedback_page(nb: nbformat.NotebookNode) -> str:
    """``nb`` rendered by nbconvert with nbgrader's feedback template and the course's config
    (each graded cell given the score nbgrader's GetGrades would add)."""
    for cell in nb.cells:
        if "nbgrader" in cell.metadata:
            cell.metadata.nbgrader.setdefault("score", 0.0)
    import nbgrader
    from nbconvert.exporters import HTMLExporter

    config = course_config()
    # nbgrader's GenerateFeedback adds its bootstrap stylesheet's folder, which its template includes.
    config.HTMLExporter.extra_template_paths = [str(Path(nbgrader.__file__).parent / "server_extensions" /
                                                    "formgrader" / "static" / "node_modules" / "bootstrap" / "dist" /
                                                    "css")]
    exporter = HTMLExporter(config=config, template_name="feedback")
    html, _ = exporter.from_notebook_node(nb, resources={"nbgrader": {
        "notebook": "a4_training", "score": 1.0, "max_score": 2.0, "late_penalty": 0.0}})
    return html


def test_tex_becomes_mathml_and_unknown_tex_stays_readable():
    block = tex_as_mathml(r"\frac{a \cdot b}{\lVert a \rVert}", block=True)
    assert block.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">') and "<mfrac>" in block
    assert 'display="inline"' in tex_as_mathml("x_1", block=False)
    assert tex_as_mathml(r"\left( x", block=True) == r"<code>$$\left( x$$</code>"  # latex2mathml cannot read it
    html = markdown2html({"cell": {}, "resources": {}}, "cost $x^2$ and\n\n$$\\sum_{k=1}^{K} k$$\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert html.count("<math") == 2 and "$" not in html and "<table>" in html


def test_the_two_template_copies_are_the_same():
    assert (TEMPLATES / "feedback" / "mathjax.html.j2").read_text() == \
        (TEMPLATES / "formgrade" / "mathjax.html.j2").read_text()


def test_a_feedback_page_loads_nothing_from_another_host_and_styles_tables():
    html = feedback_page(nbformat.read(A4, as_version=4))
    assert "cdnjs" not in html and "x-mathjax-config" not in html and "MathJax.Hub" not in html
    assert "<math" in html and "\\log \\sigma" not in html  # a4's loss, as MathML
    assert ".rendered_html td { border: 1px solid" in html and "white-space: pre-wrap" in html


@pytest.mark.slow
@pytest.mark.browser
def test_a_feedback_page_draws_its_math_in_chromium_with_every_other_host_blocked(tmp_path):
    from playwright.sync_api import sync_playwright

    from autograder.dashboards import _browser as browser_harness

    (tmp_path / "a4_training.html").write_text(feedback_page(nbformat.read(A4, as_version=4)), encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page_url = f"http://127.0.0.1:{server.server_address[1]}/a4_training.html"
    try:
        with sync_playwright() as playwright:
            # Every host name but 127.0.0.1 resolves to nothing: a CDN could not answer.
            browser = playwright.chromium.launch(
                executable_path=browser_harness.CHROMIUM, headless=True,
                args=[*browser_harness.CHROMIUM_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"])
            page = browser.new_page()
            elsewhere: list[str] = []
            page.on("request", lambda request: None if request.url.startswith(page_url.rsplit("/", 1)[0])
                    else elsewhere.append(request.url))
            page.goto(page_url, wait_until="load")
            box = page.locator('math[display="block"]').first.bounding_box()
            text = page.inner_text("body")
            browser.close()
    finally:
        server.shutdown()
    assert elsewhere == []
    assert box is not None and box["height"] > 20 and box["width"] > 200  # drawn as a formula, not as raw TeX
    assert "\\sum" not in text and "$$" not in text
