"""transform: IPython syntax in the grading process, and the tampering scan."""
from __future__ import annotations

from pathlib import Path

import pytest

from autograder.grading.transform import suspicious, to_python
from autograder.submissions import sources_from_file

REPO = Path(__file__).resolve().parents[2]


def test_magics_and_shell_commands_become_get_ipython_calls():
    code = to_python("%time x = 1\n!ls\ny = 2\n")
    assert "get_ipython().run_line_magic('time', 'x = 1')" in code
    assert "get_ipython().system('ls')" in code
    compile(code, "<cell>", "exec")


@pytest.mark.parametrize("source, finding", [
    ("get_ipython().input_transformers_cleanup.append(f)", "registers an input transformer"),
    ("ip.events.register('post_run_cell', f)", "registers a post_run_cell callback"),
    ("ip.showtraceback = lambda *a: None", "replaces IPython's traceback display"),
    ("torch.equal = lambda *a: True", "replaces torch.equal"),
    ("np.allclose = lambda *a: True", "replaces np.allclose"),
    ("torch.Tensor.__eq__ = f", "replaces torch.Tensor.__eq__"),
    ("setattr(torch, 'allclose', f)", "setattr on torch"),
    ("import os\nos._exit(0)", "calls os._exit"),
    ("import ctypes", "uses ctypes"),
    ("from autograder.checks import judge", "imports the grader"),
    ("import builtins\nbuiltins.len = f", "replaces builtins.len"),
])
def test_tampering_patterns_are_found(source, finding):
    assert finding in suspicious(source)


@pytest.mark.parametrize("module", ["build_vocab", "encode", "one_hot", "lookup", "lookup_via_one_hot"])
def test_honest_solutions_are_not_suspicious(module):
    for source in sources_from_file(REPO / "tests" / "variants" / "a1_lookup" / f"{module}.py").values():
        assert suspicious(source) == [], source


def test_code_that_does_not_parse_is_not_suspicious_and_is_returned_as_is():
    assert suspicious("def broken(:") == []
    assert "broken" in to_python("def broken(:")
