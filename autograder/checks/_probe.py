"""The probe: runs student code on fixed inputs and records what happened.

A check is written once as a straight-line function ``probe(p, fn1, fn2, ...)``.
It is run twice: on the student's namespace and on the reference solution's;
the judge compares the two recordings. The probe never decides anything itself.
"""
from __future__ import annotations

import types

import torch

from ._judge import DEFAULT_ATOL
from ._observe import observe
from ._tensors import dtype_name, with_article


def _no_restore() -> None:
    """Outside the hardened grader's sandbox there is nothing to restore."""


def use_restore(restore) -> None:
    """Have every probe call ``restore`` after student code (the sandbox does this once)."""
    Probe._invoke.__defaults__ = (restore, _error)
    Probe.expect.__defaults__ = (*(Probe.expect.__defaults__ or ())[:-1], restore)


class ProbeStopped(Exception):
    """A call the probe depends on raised: the remaining steps cannot run."""


class Student:
    """A named handle on one object from a notebook namespace.

    Calling it calls the object; ``.obj`` is the object itself (for quiz answers
    and other values). The name makes step labels identical on both sides even
    if a student aliased their function.
    """

    __slots__ = ("name", "obj")

    def __init__(self, name: str, obj):
        self.name = name
        self.obj = obj

    def __call__(self, *args, **kwargs):
        return self.obj(*args, **kwargs)


def _fmt(arg) -> str:
    if isinstance(arg, torch.Tensor):
        return f"{with_article(dtype_name(arg.dtype))} tensor of shape {tuple(arg.shape)}"
    if isinstance(arg, torch.nn.Module):
        return repr(arg)
    text = repr(arg)
    return text if len(text) <= 60 else text[:57] + "..."


_mro_of = type.__dict__["__mro__"].__get__  # the class's real MRO: a metaclass may define its own __mro__


def _exception_classes() -> dict[int, tuple[type, str]]:
    """Every exception class that exists now, by identity: id -> (class, its name now)."""
    found: dict[int, tuple[type, str]] = {}
    todo: list[type] = [BaseException]
    while todo:
        cls = todo.pop()
        if id(cls) not in found:
            found[id(cls)] = (cls, type.__dict__["__name__"].__get__(cls))
            todo.extend(type.__subclasses__(cls))
    return found


# Taken when this module is imported: in the hardened grader's warm server, before any student code.
_KNOWN_EXCEPTIONS = types.MappingProxyType(_exception_classes())


def _error(exc: BaseException, _known=_KNOWN_EXCEPTIONS, _type=type, _mro_of=_mro_of, _id=id, _str=str) -> dict:
    # ``mro`` names only classes that existed before the submission's code ran, found by identity:
    # a class the student made and called ValueError is not a ValueError. Read before the message
    # (str(exc) runs the student's __str__).
    mro = []
    for cls in _mro_of(_type(exc)):
        known = _known.get(_id(cls))
        if known is not None and known[0] is cls:
            mro.append(known[1])
    try:
        message = _str(exc)[:300]
    except Exception:  # a student exception whose __str__ itself fails
        message = "<unprintable message>"
    if _type(message) is not _str:
        message = "<unprintable message>"
    cls = _type(exc)
    name = type.__dict__["__name__"].__get__(cls)
    if not mro or mro[0] != name:  # a class of the submission's own: say whose, or it reads as the real one
        module = type.__dict__["__dict__"].__get__(cls).get("__module__")
        name = f"{module if _type(module) is _str else '?'}.{type.__dict__['__qualname__'].__get__(cls)}"
    # The code of every frame the error went through, outermost first: which function raised
    # it is read off these (Probe._where), and they are dropped before the step is recorded.
    codes: list[int] = []
    tb = exc.__traceback__
    while tb is not None and len(codes) < 200:
        codes.append(_id(tb.tb_frame.f_code))
        tb = tb.tb_next
    return {"name": name, "mro": mro, "message": message, "codes": codes}


class Probe:
    """Records the steps of one check run; see the module docstring.

    ``functions``: the code objects of the notebook's own functions, by name, so that an
    error raised inside another of them (a right ``lookup_via_one_hot`` calling the
    student's wrong ``one_hot``) is told as that function's.
    """

    def __init__(self, functions: dict[int, str] | None = None):
        self.steps: list[dict] = []
        self.functions = functions or {}

    def call(self, fn: Student, *args, what: str | None = None, hint: str = "", hint_when: tuple[str, ...] = (),
             **kwargs):
        """Call ``fn``; if it raises, record that and stop the probe.

        ``hint`` is added to the failure message when the call raises where the
        reference does not: what this input has that earlier ones had not (a
        float64 weight, a k beyond the vocabulary), in words a student can act on.
        With ``hint_when``, only when the error's message contains one of those
        words (case-insensitive): a hint about dtypes is not true of a shape error.
        """
        what = what or self._what(fn, args, kwargs)
        result, raised = self._invoke(fn, args, kwargs)
        raised = self._where(raised, fn)
        step = {"kind": "call", "label": what, "what": what, "raised": raised, "hint": hint,
                "hint_when": list(hint_when)}
        self.steps.append(step)
        if raised is not None:
            raise ProbeStopped(what) from None
        return result

    def raises(self, exc_type: type[BaseException] | None, fn: Student, *args, message: str,
               what: str | None = None, **kwargs):
        """Record which exception ``fn(*args)`` raises (``exc_type`` documents the intent).

        ``message`` explains a failure; ``{got}`` is replaced by what was raised.
        """
        self.raises_later(exc_type, fn, *args, message=message, what=what, **kwargs)()

    def raises_later(self, exc_type: type[BaseException] | None, fn: Student, *args, message: str,
                     what: str | None = None, **kwargs):
        """Call ``fn`` now like :meth:`raises`, but record the step when the returned function is called.

        For a rule that is better reported first: ``encode`` that adds an unknown
        character to the vocabulary instead of raising KeyError is told that it
        changed its input (recorded next) before it is told that it raised nothing.
        """
        what = what or self._what(fn, args, kwargs)
        _, raised = self._invoke(fn, args, kwargs)
        raised = self._where(raised, fn)
        step = {"kind": "raises", "label": what, "what": what, "raised": raised, "message": message}
        return lambda: self.steps.append(step)

    def _where(self, raised: dict | None, fn) -> dict | None:
        """``raised`` with the name of the notebook function it came from, when that is not ``fn``.

        The innermost frame of one of the notebook's functions raised it; a library's frames
        (torch's) belong to whoever called the library.
        """
        if raised is None:
            return None
        codes = raised.pop("codes", [])
        inside = next((self.functions[c] for c in reversed(codes) if c in self.functions), None)
        if inside is not None and inside != getattr(fn, "name", None):
            raised["inside"] = inside
        return raised

    def _invoke(self, fn, args, kwargs, _restore=_no_restore, _describe=_error):
        """(result, description of what it raised or None) of calling student code.

        Then undo what the student's code did to the grader. ``_restore`` and
        ``_describe`` are default arguments, so nothing the student's code patched
        can stand between its return and the restore (see grading/integrity.py);
        the exception is described (its ``__str__`` is student code too) before it.
        """
        try:
            return fn(*args, **kwargs), None
        except (Exception, SystemExit) as exc:  # SystemExit: a student's sys.exit() inside a function
            _restore()  # first: what the call replaced (builtins.type, ...) must not describe its error
            return None, _describe(exc)
        finally:
            _restore()

    def expect(self, value, message: str, atol: float = DEFAULT_ATOL, check_dtype: bool = True,
               _restore=_no_restore):
        """Record ``value``; it must match the reference's value at this step.

        ``message`` says what is wrong in words; ``{got}`` is replaced by a short
        description of the student's value (never the expected one). Student code
        may have run since the last step (a property of a returned object), so the
        grader's namespaces are restored first.
        """
        _restore()
        self.steps.append({"kind": "expect", "label": message, "message": message,
                           "value": observe(value), "atol": atol, "check_dtype": check_dtype})

    @staticmethod
    def _what(fn, args, kwargs) -> str:
        name = getattr(fn, "name", None) or getattr(fn, "__name__", "function")
        parts = [_fmt(a) for a in args] + [f"{k}={_fmt(v)}" for k, v in kwargs.items()]
        return f"{name}({', '.join(parts)})"
