"""Building submissions from Python files of functions."""
from __future__ import annotations

import pytest

from autograder.submissions import SubmissionError, fill_notebook, solution_ids, sources_from_file

from tiny_course import tiny_notebook


def test_sources_from_file_renames_and_carries_imports_and_helpers(tmp_path):
    path = tmp_path / "variants.py"
    path.write_text(
        "import torch\nfrom math import sqrt\n\n"
        "def _helper(x):\n    return x\n\n"
        "def wrong_sorted(text):\n    \"\"\"Sorts the vocabulary.\"\"\"\n    return _helper(sorted(text))\n\n"
        "def other(text):\n    return 1\n\n"
        "quiz_weight_shape = 'b'\nEXPECTED_FAILURES = {}\n")
    sources = sources_from_file(path, rename={"wrong_sorted": "build_vocab"})
    assert set(sources) == {"build_vocab", "other", "quiz_weight_shape"}
    src = sources["build_vocab"]
    assert src.startswith("import torch\nfrom math import sqrt")
    assert "def build_vocab(text):" in src and "def _helper(x):" in src and "wrong_sorted" not in src
    assert "_helper" not in sources["other"]
    assert sources["quiz_weight_shape"].endswith("quiz_weight_shape = 'b'")
    namespace = {}
    exec(src, namespace)
    assert namespace["build_vocab"]("ba") == ["a", "b"]


def test_fill_notebook_replaces_only_solution_cells_and_copies(tmp_path):
    nb = tiny_notebook()
    filled = fill_notebook(nb, {"build_vocab": "def build_vocab(text):\n    return {}"})
    assert solution_ids(filled) == ["build_vocab"]
    assert filled.cells[1].source == "def build_vocab(text):\n    return {}"
    assert "BEGIN SOLUTION" in nb.cells[1].source  # the original is untouched
    with pytest.raises(SubmissionError, match="no solution cell named build_vocab_basic"):
        fill_notebook(nb, {"build_vocab_basic": "x = 1"})  # a test cell is not the student's to fill
    assert fill_notebook(nb, {"nope": "x"}, strict=False).cells[1].source == nb.cells[1].source


def test_syntax_error_in_a_variant_file_is_reported(tmp_path):
    path = tmp_path / "bad.py"
    path.write_text("def f(:\n")
    with pytest.raises(SubmissionError, match="not valid Python"):
        sources_from_file(path)
