"""A tiny nbgrader assignment for fast pipeline tests."""
from __future__ import annotations

from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent


def _cell(source: str, **nbgrader) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    if nbgrader:
        cell.metadata["nbgrader"] = {"schema_version": 3, **nbgrader}
    return cell


def tiny_notebook() -> nbformat.NotebookNode:
    """One function, two graded test cells: enough to exercise the nbgrader pipeline."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A tiny assignment"),
        _cell('def build_vocab(text):\n    """Index each non-space character by first appearance."""\n'
              "    ### BEGIN SOLUTION\n    vocab = {}\n    for ch in text:\n"
              "        if not ch.isspace() and ch not in vocab:\n            vocab[ch] = len(vocab)\n"
              "    return vocab\n    ### END SOLUTION",
              grade=False, solution=True, locked=False, grade_id="build_vocab"),
        _cell('# build_vocab: the article\'s sentence\nassert build_vocab("北京欢迎你")["你"] == 4',
              grade=True, solution=False, locked=True, grade_id="build_vocab_basic", points=2),
        _cell('# build_vocab: whitespace is skipped\n### BEGIN HIDDEN TESTS\nassert build_vocab("a b") == {"a": 0, "b": 1}\n'
              "### END HIDDEN TESTS",
              grade=True, solution=False, locked=True, grade_id="build_vocab_whitespace", points=1),
    ]
    return nb


