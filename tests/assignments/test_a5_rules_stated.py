"""What a5's notebook says: the rules its checks test are stated where students read
(the conventions every notebook follows are in ``test_notebook_contract``)."""
from __future__ import annotations

from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]
A = "a5_pretrained"
NB = nbformat.read(REPO / "assignments" / A / f"{A}.ipynb", as_version=4)


def test_the_rules_the_checks_test_are_stated():
    text = "\n".join(c.source for c in NB.cells if c.cell_type == "markdown")
    for rule in ("zero row stays zero", "smaller index", "never listed", "KeyError", "ValueError",
                 "unit(b) - unit(a) + unit(c)", "either sign", "1e-4", "means, not sums", "Python `float`"):
        assert rule in text, rule
