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
WRONG_ONE_HOT = sources_from_file(REPO / "tests" / "variants" / "a1_lookup" / "one_hot.py",
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
    "    import os, signal\n    if not text.strip():\n        os.kill(os.getpid(), signal.SIGSEGV)\n", 1)


def _before_def(source: str, def_line: str, replacement: str) -> str:
    """``source`` with its ``def_line`` replaced (which must be there: a silent no-op would test nothing)."""
    assert def_line in source, def_line
    return source.replace(def_line, replacement, 1)


# Tricks aimed at the probes themselves (they run in the student's interpreter).
# Each would turn wrong_int64's dtype check into a pass if it worked: it makes the
# probe record float32 where one_hot returned int64.
FORGE_DTYPE = """\
import sys, torch
_checks = sys.modules["autograder.checks.a1_lookup.one_hot"]  # where one_hot_dtype lives
_real_dtype_of = _checks.dtype_of
def _forged_dtype_of(value):
    got = _real_dtype_of(value)
    return torch.float32 if got is torch.int64 else got
"""
PATCH_PROBE_CLASS = FORGE_DTYPE + """\
_Probe = sys.modules["autograder.checks._probe"].Probe
_real_expect = _Probe.expect
def _forged_expect(self, value, message, *args, **kwargs):
    return _real_expect(self, _forged_dtype_of(value) if type(value) is torch.dtype else value, message, *args, **kwargs)
try:
    _Probe.expect = _forged_expect
except TypeError:
    pass
"""
PATCH_CHECK_GLOBALS = FORGE_DTYPE + "_checks.dtype_of = _forged_dtype_of\n"
# one_hot itself re-patches the check module each time a probe calls it
PATCH_DURING_CALL = _before_def(WRONG_ONE_HOT, "def one_hot(indices, vocab_size):\n", (
    "def one_hot(indices, vocab_size: int) -> torch.Tensor:\n"
    "    import sys\n"
    "    _m = sys.modules['autograder.checks.a1_lookup.one_hot']\n"
    "    _m.dtype_of = lambda v, _real=_m.dtype_of: torch.float32 if _real(v) is torch.int64 else _real(v)\n"))
# A list that lies about what one_hot returned, swapped in for the Probe's record
LYING_LIST = (
    "class _Lying(list):\n"
    "    def append(self, step):\n"
    "        if step.get('value', {}).get('value') == 'int64':\n"
    "            step['value']['value'] = 'float32'\n"
    "        super().append(step)\n"
    "\n")
# one_hot walks up the stack to the Probe and swaps its record
FRAME_WALK = _before_def(WRONG_ONE_HOT, "def one_hot(indices, vocab_size):\n", LYING_LIST + (
    "def _frames():\n"
    "    import sys, inspect\n"
    "    for get in (lambda: sys._getframe(), inspect.currentframe, lambda: inspect.stack()[0].frame):\n"
    "        try:\n"
    "            return get()\n"
    "        except Exception:\n"
    "            pass\n"
    "    try:\n"
    "        raise RuntimeError\n"
    "    except RuntimeError as exc:\n"
    "        try:\n"
    "            return exc.__traceback__.tb_frame\n"
    "        except Exception:\n"
    "            return None\n"
    "\n"
    "def one_hot(indices, vocab_size: int) -> torch.Tensor:\n"
    "    frame = _frames()\n"
    "    while frame is not None:\n"
    "        probe = frame.f_locals.get('self')\n"
    "        if type(probe).__name__ == 'Probe' and type(probe.steps) is list:\n"
    "            probe.steps = _Lying(probe.steps)\n"
    "        frame = frame.f_back\n"))
# the same through the garbage collector's list of every object
GC_WALK = _before_def(WRONG_ONE_HOT, "def one_hot(indices, vocab_size):\n", LYING_LIST + (
    "def one_hot(indices, vocab_size: int) -> torch.Tensor:\n"
    "    import gc\n"
    "    try:\n"
    "        for obj in gc.get_objects():\n"
    "            if type(obj).__name__ == 'Probe' and type(obj.steps) is list:\n"
    "                obj.steps = _Lying(obj.steps)\n"
    "    except PermissionError:\n"
    "        pass\n"))
CTYPES_UNFREEZE = PATCH_PROBE_CLASS.replace("try:\n    _Probe.expect", """\
import ctypes
try:
    flags = ctypes.c_ulong.from_address(id(_Probe) + 168)
    flags.value &= ~(1 << 8)
except PermissionError:
    pass
try:
    _Probe.expect""")
THREAD_PATCHER = FORGE_DTYPE + """\
import threading, time
def _keep_patching():
    while True:
        _checks.dtype_of = _forged_dtype_of
        time.sleep(0.0001)
threading.Thread(target=_keep_patching, daemon=True).start()
"""
REFERENCE_FILE = str(REPO / "autograder" / "reference" / "a1_lookup.py")
READ_REFERENCE_FILE = (
    "import importlib.util\n"
    "try:\n"
    f"    _spec = importlib.util.spec_from_file_location('ref', {REFERENCE_FILE!r})\n"
    "    _ref = importlib.util.module_from_spec(_spec)\n"
    "    _spec.loader.exec_module(_ref)\n"
    "    one_hot = _ref.one_hot\n"
    "except PermissionError:\n"
    "    pass\n")
PLANTED = REPO / "autograder" / "checks" / "planted_by_a_student.py"
WRITE_INTO_GRADER = f"try:\n    open({str(PLANTED)!r}, 'w').write('# planted')\nexcept PermissionError:\n    pass\n"


# name -> (cells run before the check: solution and extra cell sources). Each of
# these fools the dtype check when nothing guards the probes (tested).
PROBE_TRICKS = {
    "patched_probe_class": (WRONG_ONE_HOT, PATCH_PROBE_CLASS),
    "patched_check_globals": (WRONG_ONE_HOT, PATCH_CHECK_GLOBALS),
    "patches_during_call": (PATCH_DURING_CALL,),
    "frame_walk": (FRAME_WALK,),
    "gc_walk": (GC_WALK,),
    "thread_patcher": (WRONG_ONE_HOT, THREAD_PATCHER),
}


def points_before(grade_id: str) -> float:
    """Points of the test cells that come before the cell ``grade_id`` in the source notebook."""
    nb = json.loads((REPO / "assignments" / "a1_lookup" / "a1_lookup.ipynb").read_text(encoding="utf-8"))
    total = 0.0
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade_id") == grade_id:
            return total
        if meta.get("grade"):
            total += float(meta["points"])
    raise KeyError(grade_id)


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
    Case("patched_probe_class", lambda r: with_cell(wrong(r), "one_hot", PATCH_PROBE_CLASS), FULL - 1,
         event="tampering"),
    Case("patched_check_globals", lambda r: with_cell(wrong(r), "one_hot", PATCH_CHECK_GLOBALS), FULL - 1,
         event="tampering"),
    Case("patches_during_call", lambda r: filled(r, one_hot=PATCH_DURING_CALL), FULL - 1, event="tampering"),
    Case("frame_walk", lambda r: filled(r, one_hot=FRAME_WALK), FULL - 1, event="tampering"),
    Case("gc_walk", lambda r: filled(r, one_hot=GC_WALK), FULL - 1, event="tampering"),
    Case("ctypes_unfreeze", lambda r: with_cell(wrong(r), "one_hot", CTYPES_UNFREEZE), FULL - 1, event="tampering"),
    # every check after the thread starts is refused while it runs
    Case("thread_patcher", lambda r: with_cell(wrong(r), "one_hot", THREAD_PATCHER), points_before("one_hot"),
         event="tampering"),
    Case("reads_reference_file", lambda r: filled(r, one_hot=WRONG_ONE_HOT + "\n" + READ_REFERENCE_FILE), FULL - 1,
         event="tampering"),
    Case("writes_into_grader", lambda r: with_cell(filled(r), "one_hot", WRITE_INTO_GRADER), FULL, event="tampering"),
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
