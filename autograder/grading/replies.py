"""What a sandbox may answer, checked field by field before anything reads it.

An answer is JSON from a process that runs the submission's code, so every field is
checked against the shape it must have, and rebuilt from what passed: the judge and
the notebook writer see only plain ``str``, ``int``, ``float``, ``bool``, ``None``,
and lists and dicts of those, of the sizes and nesting an honest probe produces.
Anything else makes the whole answer malformed (:class:`Malformed`), which costs the
step it answers and is reported.

Only observations (``Probe.expect``'s values) and what the judge reads of a step
(its kind and label, whether a name was present, what a call raised) are taken:
messages, tolerances and hints always come from the reference's steps. An
exception's classes are only names the probe found by identity among the exception
classes that existed before the submission's code ran (``_probe._error``).
"""
from __future__ import annotations

import math

from .results import printable

MAX_DEPTH = 6
"""Observations nest at most 4 deep (``_observe``); a few more for the step around them."""
MAX_ITEMS = 20_000
"""``_observe.MAX_ITEMS``: larger containers and tensors are summarised, never listed."""
MAX_STEPS = 10_000
MAX_TEXT = 64 * 1024 * 4
"""A stream is cut at 64 Ki characters in the sandbox; at most 4 bytes each once decoded."""
_FLOAT_WORDS = ("nan", "inf", "-inf")
_PLAIN = {"NoneType": type(None), "bool": bool, "str": str, "dtype": str}


class Malformed(ValueError):
    """The answer does not have the shape an honest sandbox gives it."""


def text(value, limit: int = MAX_TEXT) -> str:
    if type(value) is not str or len(value) > limit:
        raise Malformed("a text field")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: JSON carries them, a notebook file cannot
        value = value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


def words(value, limit: int) -> str:
    """A text the grader shows in its own words (an error, a message in a verdict): control and
    format characters written as escapes, so it cannot recolour, rewrite or reorder what is around it."""
    return printable(text(value, limit), keep="\n\t")


def optional_text(value, limit: int = MAX_TEXT) -> str | None:
    return None if value is None else text(value, limit)


def texts(value, limit: int = 1000) -> list[str]:
    if type(value) is not list or len(value) > limit:
        raise Malformed("a list of texts")
    return [text(v, 4000) for v in value]


def error(value) -> dict | None:
    """A cell's error: ``{"ename", "evalue", "traceback"}`` or None."""
    if value is None:
        return None
    if type(value) is not dict:
        raise Malformed("an error")
    traceback = value.get("traceback")
    if type(traceback) is not list or len(traceback) > 100:
        raise Malformed("a traceback")
    return {"ename": words(value.get("ename"), 200) or "Error", "evalue": words(value.get("evalue"), 4000),
            "traceback": [words(line, 4000) for line in traceback]}


def reply(value, kind: str) -> dict:
    """A whole answer to an ``exec`` or ``probe`` command, rebuilt from its checked fields."""
    if type(value) is not dict:
        raise Malformed("an answer")
    clean: dict[str, object] = {"nonce": text(value.get("nonce"), 100), "stdout": text(value.get("stdout", "")),
             "stderr": text(value.get("stderr", "")), "refused": texts(value.get("refused", []), 1000),
             "noticed": texts(value.get("noticed", []), 100)}
    if kind == "exec":
        clean["result"] = optional_text(value.get("result"))
        clean["error"] = error(value.get("error"))
        return clean
    threads = value.get("threads", 0)
    if type(threads) is not int or threads < 0:
        raise Malformed("a thread count")
    clean["threads"] = threads
    clean["steps"] = steps(value.get("steps"))
    failure = value.get("probe_error")
    if failure is not None:
        if type(failure) is not dict:
            raise Malformed("a probe error")
        failure = {"name": words(failure.get("name"), 200), "message": words(failure.get("message"), 1000)}
    clean["probe_error"] = failure
    return clean


def steps(value) -> list[dict]:
    """A probe's steps, each rebuilt from what the judge reads of it."""
    if type(value) is not list or len(value) > MAX_STEPS:
        raise Malformed("the steps")
    return [_step(s) for s in value]


def _step(value) -> dict:
    if type(value) is not dict:
        raise Malformed("a step")
    kind = value.get("kind")
    clean = {"kind": kind, "label": text(value.get("label"), 4000)}
    if kind == "missing":
        clean["present"] = _bool(value.get("present"))
    elif kind in ("call", "raises"):
        clean["raised"] = _raised(value.get("raised"))
    elif kind == "expect":
        clean["value"] = observation(value.get("value"))
    else:
        raise Malformed("a step's kind")
    return clean


def _bool(value) -> bool:
    if type(value) is not bool:
        raise Malformed("a flag")
    return value


def _raised(value) -> dict | None:
    if value is None:
        return None
    if type(value) is not dict:
        raise Malformed("what a call raised")
    raised = {"name": words(value.get("name"), 200), "message": words(value.get("message"), 1000),
              "mro": texts(value.get("mro"), 64)}
    if value.get("inside") is not None:  # the notebook function it was raised in (checks/_probe.py)
        raised["inside"] = words(value.get("inside"), 200)
    return raised


def _number(value, floats: bool):
    if type(value) is int or (floats and type(value) is float and math.isfinite(value)):
        return value
    if floats and type(value) is str and value in _FLOAT_WORDS:
        return value
    raise Malformed("a number")


def observation(value) -> dict:
    """An observation (``_observe.observe``), rebuilt; checked without recursion, at most MAX_DEPTH deep."""
    root: dict = {}
    todo = [(value, root, 0)]
    while todo:
        got, into, depth = todo.pop()
        if depth > MAX_DEPTH or type(got) is not dict:
            raise Malformed("an observation")
        kind = got.get("type")
        into["type"] = kind
        if kind in _PLAIN:
            wanted = _PLAIN[kind]
            if type(got.get("value")) is not wanted:
                raise Malformed("an observed value")
            into["value"] = text(got["value"], 1 << 23) if wanted is str else got["value"]
        elif kind == "int":
            into["value"] = _number(got.get("value"), floats=False)
        elif kind == "float":
            into["value"] = _number(got.get("value"), floats=True)
        elif kind == "object":
            into["class"] = words(got.get("class"), 400)
        elif kind == "tensor":
            _tensor(got, into)
        elif kind in ("list", "tuple", "dict"):
            if "too_long" in got:
                into["too_long"] = _count(got["too_long"])
                continue
            items = got.get("items")
            if type(items) is not list or len(items) > MAX_ITEMS:
                raise Malformed("an observed container")
            into["items"] = []
            for item in items:
                if kind == "dict":
                    if type(item) is not list or len(item) != 2:
                        raise Malformed("an observed dict item")
                    pair: list[dict] = [{}, {}]
                    into["items"].append(pair)
                    todo += [(item[0], pair[0], depth + 1), (item[1], pair[1], depth + 1)]
                else:
                    slot: dict = {}
                    into["items"].append(slot)
                    todo.append((item, slot, depth + 1))
        else:
            raise Malformed("an observation's type")
    return root


def _count(value) -> int:
    if type(value) is not int or value < 0:
        raise Malformed("a count")
    return value


def _tensor(got: dict, into: dict) -> None:
    into["dtype"] = text(got.get("dtype"), 40)
    shape = got.get("shape")
    if type(shape) is not list or len(shape) > 64:
        raise Malformed("a tensor's shape")
    into["shape"] = [_count(s) for s in shape]
    if "too_large" in got:
        into["too_large"] = _count(got["too_large"])
        return
    if got.get("complex") is True:
        into["complex"] = True
        return
    values = got.get("values")
    n = math.prod(into["shape"])
    if type(values) is not list or len(values) != n or n > MAX_ITEMS:
        raise Malformed("a tensor's values")
    floats = into["dtype"].startswith(("float", "bfloat", "half", "double"))
    into["values"] = [_number(v, floats=True) if floats else _value_of_int_tensor(v) for v in values]


def _value_of_int_tensor(value):
    if type(value) is bool:  # a bool tensor's values
        return value
    return _number(value, floats=False)
