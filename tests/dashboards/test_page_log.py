"""PageLog, the browser tests' record of console errors and outside requests, without a browser."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from support.browser import PageLog, is_local


class FakePage:
    """Just enough of Playwright's Page: ``on(event, handler)`` and a way to fire events."""

    def __init__(self):
        self.handlers = {}

    def on(self, event, handler):
        self.handlers[event] = handler

    def fire(self, event, **fields):
        self.handlers[event](SimpleNamespace(**fields))


@pytest.mark.parametrize(("url", "local"), [
    ("http://127.0.0.1:8866/voila/render/lookup.ipynb", True),
    ("http://localhost:8888/lab", True),
    ("http://[::1]:8888/lab", True),
    ("data:font/woff2;base64,AAAA", True),
    ("blob:http://127.0.0.1:8888/5b0c", True),
    ("https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5/css/all.min.css", False),
    ("https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/MathJax.js", False),
    ("http://127.0.0.1.example.com/x.js", False),
])
def test_only_this_machine_is_local(url, local):
    assert is_local(url) is local


def test_records_console_errors_page_errors_and_outside_requests():
    page = FakePage()
    log = PageLog(page)
    page.fire("console", type="warning", text="Unsatisfied version 4.2.5", location={})
    page.fire("console", type="error", text="Failed to load resource",
              location={"url": "https://cdn.jsdelivr.net/x.css", "lineNumber": 0})
    page.fire("pageerror", name="TypeError", message="x is undefined",
              stack="TypeError: x is undefined\n    at f (http://127.0.0.1/lab/main.js:1:2)")
    page.fire("request", url="http://127.0.0.1:8888/static/a.js")
    page.fire("request", url="https://cdn.jsdelivr.net/x.css")
    assert log.problems() == [
        "console error: Failed to load resource (at https://cdn.jsdelivr.net/x.css:0)",
        "uncaught error: TypeError: x is undefined (at f (http://127.0.0.1/lab/main.js:1:2))",
        "request to another host: https://cdn.jsdelivr.net/x.css",
    ]


def test_leaves_out_only_the_known_notebook_7_error_where_notebook_7_throws_it():
    page = FakePage()
    log = PageLog(page)
    message = "Cannot read properties of undefined (reading 'schema')"
    page.fire("pageerror", name="TypeError", message=message,
              stack=f"TypeError: {message}\n    at http://127.0.0.1:1/static/notebook/notebook_core.c9a6.js:501:207")
    assert log.problems() == []
    page.fire("pageerror", name="TypeError", message=message,
              stack=f"TypeError: {message}\n    at http://127.0.0.1:1/lab/extensions/ours/static/remoteEntry.js:1:2")
    assert log.page_errors == [f"TypeError: {message} (at http://127.0.0.1:1/lab/extensions/ours/static/remoteEntry.js:1:2)"]
