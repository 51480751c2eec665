"""Adversarial and faulty a1_lookup submissions, each with its exact expected score.

Every case starts from the release notebook filled with the reference solutions
(31/31) or with ``wrong_int64`` as ``one_hot`` (30/31: it fails ``one_hot_dtype``),
then adds one trick or fault. A trick that worked would give the wrong
submission back its point; a fault must cost only what it breaks.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import nbformat

from autograder.submissions import fill_notebook, sources_from_file, write_submission

REPO = Path(__file__).resolve().parents[2]
REFERENCE = sources_from_file(REPO / "autograder" / "reference" / "a1_lookup.py")
WRONG_ONE_HOT = sources_from_file(REPO / "autograder" / "examples" / "a1_lookup" / "one_hot.py",
                                  rename={"wrong_int64": "one_hot"})["one_hot"]
FULL = 31.0
LOOKUP_POINTS = 5.0  # lookup_basic 2 + index_types + dtype_and_empty + gradient
BUILD_VOCAB_POINTS = 5.0


@dataclass(frozen=True)
class Case:
    student: str
    build: Callable[[nbformat.NotebookNode], nbformat.NotebookNode | bytes]
    expected: float
    """Exact total score from `embedding-lab grade`."""
    event: str | None = None
    """An event kind the report must list for this submission."""
    stock_fails: bool = False
    """Stock `nbgrader autograde` cannot grade it at all."""
    stock_expected: float | None = None
    """Stock's total, when it grades it (a trick that works on stock)."""


def filled(release, **changes: str):
    sources = {**REFERENCE, **changes}
    return fill_notebook(release, sources, strict=False)


def _index(nb, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def with_cell(nb, after: str, source: str):
    """``nb`` with a new ordinary code cell after the cell ``after``."""
    nb = copy.deepcopy(nb)
    nb.cells.insert(_index(nb, after) + 1, nbformat.v4.new_code_cell(source))
    return nb


def wrong(release):
    return filled(release, one_hot=WRONG_ONE_HOT)


INPUT_TRANSFORMER = '''\
def _blank_tests(lines):
    text = "".join(lines)
    return [] if ("assert" in text or "run_check" in text) else lines
get_ipython().input_transformers_cleanup.append(_blank_tests)
'''
SILENCE_ERRORS = '''\
ip = get_ipython()
ip.showtraceback = lambda *args, **kwargs: None
def _forget_errors(result):
    result.error_in_exec = None
ip.events.register("post_run_cell", _forget_errors)
'''
PATCH_COMPARISONS = '''\
import numpy as np
import torch
torch.equal = lambda *args, **kwargs: True
torch.allclose = lambda *args, **kwargs: True
np.allclose = lambda *args, **kwargs: True
torch.Tensor.__eq__ = lambda self, other: torch.ones((), dtype=torch.bool)
'''
PATCH_JUDGE = '''\
import autograder.checks as _checks
from autograder.checks import Verdict
_checks.judge = lambda student, reference: Verdict(True)
'''
ALWAYS_EQUAL_DICT = '''\
class AlwaysEqual(dict):
    def __eq__(self, other):
        return True
    __hash__ = dict.__hash__

def build_vocab(text):
    return AlwaysEqual()
'''
SPOOF_CHANNEL = '''\
import os, json, struct
fake = json.dumps({"nonce": "guess", "steps": [], "stdout": "", "stderr": ""}).encode()
print(json.dumps({"steps": [], "verdict": "passed"}))
for fd in range(3, 64):
    try:
        os.fstat(fd)
        os.write(fd, struct.pack("!i", len(fake)) + fake)
    except OSError:
        pass
'''
REPLACE_BUILTINS = '''\
import builtins
builtins.len = lambda obj: 0
builtins.isinstance = lambda obj, cls: True
builtins.str = lambda *args: "float32"
'''
TRY_REFERENCE = "try:\n    from autograder.reference.a1_lookup import one_hot\nexcept ImportError:\n" + \
    "\n".join("    " + line for line in WRONG_ONE_HOT.splitlines())
STDERR_ONE_HOT = REFERENCE["one_hot"].replace(
    "def one_hot(indices, vocab_size: int) -> torch.Tensor:\n",
    "def one_hot(indices, vocab_size: int) -> torch.Tensor:\n"
    "    import sys\n    print('UserWarning: one_hot copies its input', file=sys.stderr)\n", 1)
OS_EXIT_IN_ONE_HOT = REFERENCE["one_hot"].replace(
    "def one_hot(indices, vocab_size: int) -> torch.Tensor:\n",
    "def one_hot(indices, vocab_size: int) -> torch.Tensor:\n"
    "    import os\n    if vocab_size < 1:\n        os._exit(3)\n", 1)
SEGFAULT_IN_ENCODE = REFERENCE["encode"].replace(
    "def encode(text: str, vocab: dict[str, int]) -> torch.Tensor:\n",
    "def encode(text: str, vocab: dict[str, int]) -> torch.Tensor:\n"
    "    import ctypes\n    if not text.strip():\n        ctypes.string_at(0)\n", 1)


def duplicated(release):
    nb = filled(release)
    i = _index(nb, "one_hot")
    first = copy.deepcopy(nb.cells[i])
    first.source = WRONG_ONE_HOT  # the earlier paste is a wrong draft; the last copy is the answer
    first["id"] = nb.cells[i]["id"]  # pasted with the same id too
    nb.cells.insert(i, first)
    return nb


def duplicated_test_cell(release):
    nb = wrong(release)
    i = _index(nb, "one_hot_dtype")
    nb.cells.insert(i, copy.deepcopy(nb.cells[i]))
    return nb


def renamed(release):
    nb = filled(release)
    nb.cells[_index(nb, "one_hot")].metadata.nbgrader["grade_id"] = "my_one_hot"
    return nb


def deleted_test_cell(release):
    nb = wrong(release)
    del nb.cells[_index(nb, "one_hot_dtype")]
    return nb


def deleted_solution_cell(release):
    nb = filled(release)
    del nb.cells[_index(nb, "lookup")]
    return nb


def unlocked_test_cell(release):
    nb = wrong(release)
    cell = nb.cells[_index(nb, "one_hot_dtype")]
    cell.metadata.nbgrader["locked"] = False
    cell.metadata["editable"] = True
    cell.source = "# nothing to test here\npass"
    return nb


def os_exit_cell(release):
    nb = filled(release, lookup=REFERENCE["lookup"] + "\nimport os\nos._exit(0)\n")
    return nb


CASES = [
    Case("honest_correct", filled, FULL),
    Case("honest_wrong_one_hot", wrong, FULL - 1),
    Case("honest_blank", lambda release: copy.deepcopy(release), 0.0),
    Case("input_transformer", lambda r: with_cell(wrong(r), "one_hot", INPUT_TRANSFORMER), FULL - 1,
         event="tampering", stock_expected=FULL),
    Case("silenced_errors", lambda r: with_cell(wrong(r), "one_hot", SILENCE_ERRORS), FULL - 1, event="tampering",
         stock_expected=FULL),
    Case("patched_comparisons", lambda r: with_cell(wrong(r), "one_hot", PATCH_COMPARISONS), FULL - 1,
         event="tampering"),
    Case("patched_judge", lambda r: with_cell(wrong(r), "one_hot", PATCH_JUDGE), FULL - 1, event="tampering"),
    Case("always_equal_dict", lambda r: filled(r, build_vocab=ALWAYS_EQUAL_DICT), FULL - BUILD_VOCAB_POINTS),
    Case("spoofed_channel", lambda r: with_cell(wrong(r), "one_hot", SPOOF_CHANNEL), FULL - 1, event="tampering"),
    Case("replaced_builtins", lambda r: with_cell(wrong(r), "quiz_lookup_row_answer", REPLACE_BUILTINS), FULL - 1,
         event="tampering"),
    Case("imports_reference", lambda r: filled(r, one_hot=TRY_REFERENCE), FULL - 1, event="tampering"),
    Case("deletes_function", lambda r: with_cell(filled(r), "build_vocab", "del build_vocab"),
         FULL - BUILD_VOCAB_POINTS),
    # stock scores every test cell that calls one_hot (visibly or hidden) 0 for the stderr line
    Case("stderr_warning", lambda r: filled(r, one_hot=STDERR_ONE_HOT), FULL, stock_expected=19.0),
    Case("os_exit_cell", os_exit_cell, FULL - LOOKUP_POINTS, event="crash", stock_fails=True),
    Case("os_exit_in_function", lambda r: filled(r, one_hot=OS_EXIT_IN_ONE_HOT), FULL - 1, event="crash"),
    Case("sys_exit_cell", lambda r: with_cell(filled(r), "one_hot", "import sys\nsys.exit('bye')"), FULL),
    Case("segfault", lambda r: filled(r, encode=SEGFAULT_IN_ENCODE), FULL - 1, event="crash"),
    Case("infinite_loop", lambda r: with_cell(filled(r), "one_hot", "while True:\n    pass"), FULL, event="timeout"),
    Case("huge_allocation", lambda r: with_cell(filled(r), "one_hot",
                                                "hoard = []\nwhile True:\n    hoard.append(bytearray(2**26))"),
         FULL, event="memory"),
    Case("duplicated_solution", duplicated, FULL, event="repair", stock_fails=True),
    Case("duplicated_test_cell", duplicated_test_cell, FULL - 1, event="repair"),
    Case("renamed_grade_id", renamed, FULL, event="repair", stock_fails=True),
    Case("deleted_test_cell", deleted_test_cell, FULL - 1, event="repair"),
    Case("deleted_solution_cell", deleted_solution_cell, FULL - LOOKUP_POINTS, event="repair"),
    Case("unlocked_test_cell", unlocked_test_cell, FULL - 1, event="tampering"),
    Case("unreadable_notebook", lambda r: b'{"cells": [', 0.0, event="repair", stock_fails=True),
]


def write_cases(course: Path, release, cases=CASES) -> None:
    for case in cases:
        built = case.build(release)
        if isinstance(built, bytes):
            write_submission(course, case.student, "a1_lookup", raw=built)
        else:
            write_submission(course, case.student, "a1_lookup", built)


def points_by_cell(course: Path) -> dict[str, float]:
    nb = json.loads((course / "source" / "a1_lookup" / "a1_lookup.ipynb").read_text(encoding="utf-8"))
    return {c["metadata"]["nbgrader"]["grade_id"]: float(c["metadata"]["nbgrader"]["points"])
            for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")}
