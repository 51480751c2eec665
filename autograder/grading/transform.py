"""Student cell source -> plain Python, and a scan for tampering attempts.

Both run in the grading process: IPython syntax (magics, ``!cmd``) is transformed
here with a pristine TransformerManager, so input transformers a student cell
registers in its kernel never see the code that is graded.
"""
from __future__ import annotations

import ast
import functools

from IPython.core.inputtransformer2 import TransformerManager

_MANAGER = TransformerManager()

# Attributes whose assignment or use in student code means someone is trying to
# change how the notebook is run or judged, rather than solve the exercise.
_HOOKS = {
    "input_transformers_cleanup": "registers an input transformer",
    "input_transformers_post": "registers an input transformer",
    "input_transformer_manager": "replaces the input transformer manager",
    "ast_transformers": "registers an AST transformer",
    "showtraceback": "replaces IPython's traceback display",
    "_showtraceback": "replaces IPython's traceback display",
    "error_in_exec": "changes a cell's execution result",
    "post_run_cell": "registers a post_run_cell callback",
    "pre_run_cell": "registers a pre_run_cell callback",
    "set_custom_exc": "replaces IPython's exception handling",
}
# Attributes that reach into the interpreter's frames or a function's insides:
# how code finds the grader's objects (the sandbox refuses most of it anyway).
_INTROSPECTION = {
    "_getframe": "inspects the call stack", "currentframe": "inspects the call stack",
    "f_back": "inspects the call stack", "f_locals": "inspects the call stack",
    "tb_frame": "inspects the call stack", "gi_frame": "inspects the call stack",
    "__globals__": "reaches into a function's globals", "__code__": "rewrites a function's code",
    "__closure__": "reaches into a function's closure", "cell_contents": "reaches into a function's closure",
    "__kwdefaults__": "rewrites a function's defaults", "__defaults__": "rewrites a function's defaults",
    "addaudithook": "installs an audit hook",
}
_GUARDED_MODULES = {"torch", "np", "numpy", "math", "builtins", "__builtins__", "autograder", "sys", "nbgrader"}
_CALLS = {
    ("os", "_exit"): "calls os._exit",
    ("os", "kill"): "sends signals to processes",
    ("sys", "settrace"): "installs a trace function",
    ("sys", "setprofile"): "installs a profile function",
    ("gc", "get_objects"): "inspects the interpreter's objects",
    ("gc", "get_referrers"): "inspects the interpreter's objects",
}
_MODULES = {"ctypes": "uses ctypes", "gc": "inspects the interpreter's objects", "autograder": "imports the grader", "nbgrader": "imports nbgrader"}


@functools.lru_cache(maxsize=4096)
def to_python(source: str) -> str:
    """IPython cell source as the plain Python IPython would run (``get_ipython()`` calls for magics)."""
    try:
        return _MANAGER.transform_cell(source)
    except Exception:  # a transformer choked: let the compiler report the problem
        return source


def _dotted(node) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def suspicious(source: str) -> list[str]:
    """Short descriptions of the tampering patterns found in a student cell."""
    try:
        tree = ast.parse(to_python(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in _HOOKS:
            found.append(_HOOKS[node.attr])
        elif isinstance(node, ast.Attribute) and _INTROSPECTION.get(node.attr):
            found.append(_INTROSPECTION[node.attr])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in _HOOKS:
            found.append(_HOOKS[node.value])  # events.register("post_run_cell", ...)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("autograder"):
            found.append("reaches into the grader's modules")  # sys.modules["autograder..."]
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                name = _dotted(target)
                if "." in name and name.split(".")[0] in _GUARDED_MODULES:
                    found.append(f"replaces {name}")
        elif isinstance(node, ast.Call):
            name = _dotted(node.func)
            head, _, tail = name.rpartition(".")
            if (head, tail) in _CALLS:
                found.append(_CALLS[(head, tail)])
            elif name in ("setattr", "delattr") and node.args and _dotted(node.args[0]).split(".")[0] in _GUARDED_MODULES:
                found.append(f"{name} on {_dotted(node.args[0])}")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for module in names:
                top = module.split(".")[0]
                if top in _MODULES:
                    found.append(_MODULES[top])
    return sorted(set(found))
