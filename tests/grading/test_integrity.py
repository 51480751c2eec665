"""The sandbox's guards on their own: restore, frozen classes, the audit hook.

The audit hook cannot be removed once installed, so its tests run in a fresh
interpreter; restore and freeze are tested here on throwaway modules and classes.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
import types

import pytest

from autograder.grading.integrity import freeze, make_restore


def _throwaway():
    module = types.ModuleType("throwaway")
    exec("REGISTRY = {'a': 1}\nNAMES = ['x', 'y']\ndef helper():\n    return 1\n", vars(module))

    class Thing:
        def method(self):
            return "real"

    return module, Thing


def test_restore_undoes_names_replaced_added_and_deleted():
    module, thing = _throwaway()
    restore = make_restore([module], [], [thing], [], [])
    real_helper = module.helper
    module.helper = lambda: 2
    module.len = lambda x: 0  # shadows a builtin for the module's own code
    del module.NAMES
    restore()
    assert module.helper is real_helper and "len" not in vars(module) and module.NAMES == ["x", "y"]


def test_restore_puts_back_container_contents_and_class_attributes():
    module, thing = _throwaway()
    restore = make_restore([module], [], [thing], [], [])
    module.REGISTRY["a"] = 99
    module.REGISTRY["b"] = 2
    module.NAMES[:] = ["forged"]
    thing.method = lambda self: "forged"
    thing.extra = 1
    restore()
    assert module.REGISTRY == {"a": 1} and module.NAMES == ["x", "y"]
    assert thing().method() == "real" and not hasattr(thing, "extra")


def test_restore_still_works_when_builtins_and_globals_are_poisoned():
    import builtins

    module, thing = _throwaway()
    restore = make_restore([module], [], [thing], [], [])
    real = builtins.setattr, builtins.delattr, builtins.len
    thing.method = lambda self: "forged"
    try:
        builtins.setattr = builtins.delattr = lambda *a: None
        builtins.len = lambda obj: 0
        restore()
        assert (builtins.setattr, builtins.delattr, builtins.len) == real
    finally:
        builtins.setattr, builtins.delattr, builtins.len = real
    assert thing().method() == "real"


def test_restore_keeps_library_names_added_later():
    library = types.ModuleType("library")
    library.tensor = "real"
    restore = make_restore([], [library], [], [], [])
    library.tensor = "forged"
    library.lazily_loaded = "submodule"  # libraries add names as submodules load
    restore()
    assert library.tensor == "real" and library.lazily_loaded == "submodule"


def test_frozen_class_refuses_attribute_assignment():
    _, thing = _throwaway()
    freeze([thing])
    for attempt in (lambda: setattr(thing, "method", None), lambda: type.__setattr__(thing, "method", None),
                    lambda: delattr(thing, "method")):
        with pytest.raises(TypeError):
            attempt()
    assert thing().method() == "real"


HOOK_SCRIPT = r'''
import os, sys, tempfile
from autograder.grading.integrity import make_audit_hook

locked = tempfile.mkdtemp()
with open(os.path.join(locked, "secret.py"), "w") as f:
    f.write("KEY = 'b'\n")
outside = tempfile.mkdtemp()
stdlib = os.path.dirname(os.path.realpath(os.__file__)) + os.sep
def grader_function():
    return 1
protected = frozenset({id(grader_function)})
hook, take_refused = make_audit_hook(
    protected, (stdlib, os.path.dirname(__import__("autograder").__file__) + os.sep),
    (stdlib + "inspect.py", stdlib + "ctypes" + os.sep),
    (locked + os.sep,), (outside + os.sep,),
    frozenset((stdlib + "traceback.py", name) for name in ("walk_stack", "walk_tb")))
sys.addaudithook(hook)

def student(code):
    """Run code as a student cell would (its frames are not library frames)."""
    try:
        exec(compile(code, "<cell 1>", "exec"), {"grader_function": grader_function, "locked": locked,
                                                 "outside": outside})
        return "allowed"
    except PermissionError:
        return "refused"

results = {
    "getframe": student("import sys; sys._getframe()"),
    "inspect": student("import inspect; inspect.currentframe()"),
    "inspect_stack": student("import inspect; inspect.stack()"),
    "tb_frame": student("try:\n    1/0\nexcept ZeroDivisionError as e:\n    e.__traceback__.tb_frame"),
    "gc": student("import gc; gc.get_objects()"),
    "settrace": student("import sys; sys.settrace(None)"),
    "walk_tb": student("import traceback\ntry:\n    1/0\nexcept ZeroDivisionError as e:\n"
                       "    [f for f, _ in traceback.walk_tb(e.__traceback__)]"),
    "walk_stack": student("import traceback; [f for f, _ in traceback.walk_stack(None)]"),
    # Python drops a new hook silently when an existing one refuses it: "refused" = it never runs
    "second_hook": student("import sys, os; seen = []; sys.addaudithook(lambda e, a: seen.append(e))\n"
                           "open(os.devnull).close()\nif not seen:\n    raise PermissionError('not added')"),
    "code_swap": student("grader_function.__code__ = (lambda: None).__code__"),
    "ctypes": student("import ctypes; ctypes.c_int.from_address(id(1))"),
    "fake_library_code": student("exec(compile('1', os.__file__, 'exec'))".replace("os.__file__", repr(os.__file__))),
    "read_locked": student("open(locked + '/secret.py').read()"),
    "write_outside": student("open(outside + '/planted.py', 'w')"),
    "write_outside_via_dotdot": student(
        "import os; open(outside + '/../' + os.path.basename(outside) + '/x', 'a')"),
    "bytecode_writer": student("from importlib._bootstrap_external import _write_atomic\n"
                               "_write_atomic(outside + '/__pycache__planted.pyc', b'')"),
    # what honest code does keeps working
    "namedtuple": student("from collections import namedtuple; namedtuple('P', 'x y')(1, 2)"),
    "traceback_text": student("import traceback\ntry:\n    1/0\nexcept ZeroDivisionError:\n    traceback.format_exc()"),
    "library_frames": student("import logging; logging.getLogger('x').warning('library code asks for frames')"),
    "write_elsewhere": student("open(__import__('tempfile').mktemp(), 'w').close()"),
}
print(results)
print(len(take_refused()))
'''


def test_audit_hook_refuses_what_reaches_the_grader_and_allows_honest_code():
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(HOOK_SCRIPT)], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr[-3000:]
    results_line, refused_count = out.stdout.strip().splitlines()[-2:]
    results = eval(results_line)  # noqa: S307 (our own dict literal)
    refused = {k for k, v in results.items() if v == "refused"}
    assert refused == {"getframe", "inspect", "inspect_stack", "tb_frame", "gc", "settrace", "second_hook",
                       "code_swap", "ctypes", "fake_library_code", "walk_tb", "walk_stack", "read_locked", "write_outside", "write_outside_via_dotdot", "bytecode_writer"}
    assert int(refused_count) >= len(refused)
