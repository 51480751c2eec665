"""The check author's pages run: every code block of docs/writing-checks.md, the variants
example of docs/adding-an-assignment.md and the test cell of docs/conventions.md.

The check author's page's blocks are executed in order in one namespace, as the module
``autograder.checks.docs_example`` (so ``@check`` registers the page's checks under an
assignment of that name); the registry is put back afterwards. Its ``assert`` lines pin the
messages it shows. The variants example is then held to its own ``EXPECTED_FAILURES`` and
``EXPECTED_MESSAGES`` by those checks, as ``tests/checks/test_checks_contract.py`` holds the
real ones.
"""
from __future__ import annotations

import importlib
import re
import textwrap
from pathlib import Path

import pytest

import autograder.checks as checks

DOCS = Path(__file__).resolve().parents[2] / "docs"


def blocks(page: str) -> list[str]:
    """The ```python blocks of a page, dedented (a block may sit inside a list item)."""
    text = (DOCS / page).read_text(encoding="utf-8")
    return [textwrap.dedent(body) for _, body in re.findall(r"^( *)```python\n(.*?)^\1```$", text, re.M | re.S)]


@pytest.fixture
def registry():
    saved = dict(checks._REGISTRY)
    yield
    checks._REGISTRY.clear()
    checks._REGISTRY.update(saved)


def run_page(page: str, namespace: dict) -> dict:
    for number, block in enumerate(blocks(page), 1):
        exec(compile(block, f"{page}, code block {number}", "exec"), namespace)
    return namespace


def test_the_pages_have_their_examples():
    assert len(blocks("writing-checks.md")) >= 3
    assert len(blocks("adding-an-assignment.md")) == 1
    assert len(blocks("conventions.md")) == 1


def test_every_example_of_the_check_authors_page_runs(registry):
    run_page("writing-checks.md", {"__name__": "autograder.checks.docs_example"})
    registered = {c.name for c in checks._REGISTRY.values() if c.assignment == "docs_example"}
    assert registered == {"row_norms_basic", "row_norms_errors", "quiz_row_length_answer"}


def test_the_page_names_one_public_module():
    imports = set(re.findall(r"^\s*(?:from|import) (autograder[\w.]*)", "".join(blocks("writing-checks.md")), re.M))
    assert imports == {"autograder.checks.toolbox"}
    assert "autograder.checks._" not in (DOCS / "writing-checks.md").read_text(encoding="utf-8")


def test_the_variants_example_fails_exactly_its_cells_with_its_messages(registry):
    page = run_page("writing-checks.md", {"__name__": "autograder.checks.docs_example"})
    variants = run_page("adding-an-assignment.md", {"__name__": "variants.aN_topic.row_norms"})
    probes = [page["row_norms_basic"], page["row_norms_errors"]]
    reference = {"row_norms": page["row_norms"]}
    names = [n for n in variants if n.startswith(("correct_", "wrong_"))]
    assert set(variants["EXPECTED_FAILURES"]) == {n for n in names if n.startswith("wrong_")}
    for name in names:
        verdicts = {probe.__name__: checks.verdict_between(probe, {"row_norms": variants[name]}, reference)
                    for probe in probes}
        failed = {cell: v.message for cell, v in verdicts.items() if not v.passed}
        assert failed == variants.get("EXPECTED_MESSAGES", {}).get(name, {}), name
        assert set(failed) == set(variants["EXPECTED_FAILURES"].get(name, ())), name


def test_the_test_cell_of_the_conventions_runs_on_the_reference():
    reference = importlib.import_module("autograder.reference.a1_lookup")
    namespace = {k: v for k, v in vars(reference).items() if not k.startswith("__")}
    run_page("conventions.md", namespace)
    namespace["one_hot"] = lambda indices, vocab_size: reference.one_hot(indices, vocab_size).T
    with pytest.raises(AssertionError):
        run_page("conventions.md", namespace)
