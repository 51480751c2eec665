"""Sandbox side: keep a submission's code from changing what the checks record.

The probes run in the same interpreter as the student's code (they have to call
it), so everything they rely on is in reach of that code. Three layers, set up
in the sandbox before any student code runs:

- **Frozen classes.** Every class of the grader (``Probe``, ``Student``, ``Check``,
  ...) is made immutable, as built-in types are: ``Probe.raises = forged`` raises
  ``TypeError``.
- **Restore.** Module namespaces (the grader's, ``torch``'s, ``numpy``'s),
  ``torch.Tensor`` and the ``nn`` classes the checks build, ``builtins``, the check
  registry and signal handlers are put back as they were before every probe,
  right after every call into student code and before every recorded value. The
  restore function holds its state in its own default argument (an immutable
  tuple) and calls only what that tuple holds, so a namespace patched by the
  student cannot stop it.
- **An audit hook** (PEP 578; it cannot be removed) refuses, with
  ``PermissionError``: replacing the code or defaults of a grader function; the
  interpreter's object graph (``gc.get_objects``/``get_referrers``) and trace or
  audit hooks; frames (``sys._getframe``, ``tb_frame``, ``inspect.stack()``...)
  and ``ctypes`` when student code asks for them; compiling code that claims to
  be a library file; opening the reference solutions or the example
  submissions, or a process's memory file (``/proc/self/mem``); writing into the
  Python installation, the course or the grader.
  Each refusal is counted for the grading report.

Programs the submission starts run without these guards; the operating-system
boundary around the whole sandbox (``namespaces.py``) is what contains them, and
what hides the course, the reference and other submissions in the first place.
The path refusals here still matter under ``--isolation none`` and say, in the
report, what was tried.
"""
from __future__ import annotations

import _thread
import builtins
import ctypes
import operator
import os
import re
import signal
import sys
import types

_IMMUTABLE_TYPE = 1 << 8  # Py_TPFLAGS_IMMUTABLETYPE (CPython >= 3.10)
_FRAME_ATTRIBUTES = frozenset({"tb_frame", "gi_frame", "cr_frame", "ag_frame"})
_ALWAYS_REFUSED = frozenset({
    "sys.addaudithook", "sys.settrace", "sys.setprofile",
    "gc.get_objects", "gc.get_referrers", "gc.get_referents",
})
_REFUSED_FOR_STUDENT = frozenset({"sys._getframe", "sys._current_frames", "sys._current_exceptions"})
_PATH_EVENTS = {  # event -> indices of the path arguments it writes to
    "os.rename": (0, 1), "os.link": (0, 1), "os.symlink": (1,), "os.remove": (0,), "os.rmdir": (0,),
    "os.mkdir": (0,), "os.truncate": (0,), "os.chmod": (0,), "os.chown": (0,), "os.utime": (0,),
    "shutil.rmtree": (0,), "shutil.copyfile": (1,), "shutil.copytree": (1,), "shutil.move": (1,),
}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_WATCHED = (_ALWAYS_REFUSED | _REFUSED_FOR_STUDENT | set(_PATH_EVENTS)
            | {"object.__setattr__", "object.__delattr__", "object.__getattr__", "open", "compile", "code.__new__"})


def _flags_offset() -> int:
    """Where ``tp_flags`` sits in a type object (found, not assumed)."""
    probe = type("_FlagsProbe", (), {})
    word = ctypes.sizeof(ctypes.c_ulong)
    for offset in range(0, 64 * word, word):
        if ctypes.c_ulong.from_address(id(probe) + offset).value == probe.__flags__:
            return offset
    raise RuntimeError("cannot find tp_flags in a type object")


def freeze(classes) -> None:
    """Make each class immutable, like a built-in type (attribute assignment raises TypeError)."""
    offset = _flags_offset()
    for cls in classes:
        ctypes.c_ulong.from_address(id(cls) + offset).value |= _IMMUTABLE_TYPE


def grader_objects(prefix: str = "autograder") -> tuple[list, list, list]:
    """(modules, classes, functions) of the grader, as loaded now."""
    modules = [m for name, m in list(sys.modules.items())
               if isinstance(m, types.ModuleType) and (name == prefix or name.startswith(prefix + "."))]
    classes, functions, seen = [], [], set()

    def visit(value) -> None:
        if id(value) in seen:
            return
        if isinstance(value, type) and value.__module__.startswith(prefix):
            seen.add(id(value))
            classes.append(value)
            for member in list(vars(value).values()):
                visit(getattr(member, "__func__", member))
        elif isinstance(value, types.FunctionType) and (value.__module__ or "").startswith(prefix):
            seen.add(id(value))
            functions.append(value)
            wrapped = getattr(value, "__wrapped__", None)
            if wrapped is not None:
                visit(wrapped)
        elif hasattr(value, "__wrapped__") and isinstance(value.__wrapped__, types.FunctionType):  # lru_cache
            visit(value.__wrapped__)

    for module in modules:
        for value in list(vars(module).values()):
            visit(value)
    return modules, classes, functions


def make_restore(modules, extra_modules, classes, instances, functions):
    """A function that puts every namespace the probes use back as it is now.

    ``modules``: namespaces restored exactly (added names removed too);
    ``extra_modules``: namespaces whose existing names are restored (libraries add
    names lazily); ``classes``: mutable classes restored exactly; ``instances``:
    objects whose ``__dict__`` is restored. Dicts, lists and sets held by the
    grader's modules (the check registry) get their contents back as well.
    """
    exact = []  # _snapshot()s: (dict, pairs, keys, names, values)
    for module in modules:
        table = vars(module)
        exact.append(_snapshot(table))
        for value in table.values():
            if type(value) is dict:
                exact.append(_snapshot(value))
    for obj in instances:
        exact.append(_snapshot(vars(obj)))
    for fn in functions:
        if fn.__kwdefaults__:
            exact.append(_snapshot(fn.__kwdefaults__))
    containers = []  # lists and sets: (object, snapshot)
    for module in modules:
        for value in vars(module).values():
            if type(value) in (list, set):
                containers.append((value, tuple(value)))
    updated = tuple(_snapshot(vars(m)) for m in extra_modules)
    class_state = tuple((cls, *_snapshot(vars(cls))[1:]) for cls in classes)
    handlers = []
    for signum in signal.valid_signals():
        try:
            handler = signal.getsignal(signum)
        except (OSError, ValueError):
            continue
        if handler is not None and signum not in (signal.SIGKILL, signal.SIGSTOP):
            handlers.append((signum, handler))
    state = (_snapshot(vars(builtins)), tuple(exact), updated, class_state, tuple(containers),
             tuple(handlers), signal.getsignal, signal.signal, setattr, delattr, list.__setitem__,
             set.clear, set.update, slice(None), operator.is_, map, all, len, LookupError)

    def restore(_state=state):
        # Only locals and the state tuple from here on: a patched global cannot stop this.
        # Each namespace is first compared by the identity of its values (C loops, no
        # __eq__ a student could define, no id() and its audit event): only a changed one
        # is written back.
        (table, exact, updated, class_state, containers, handlers, getsignal, setsignal, setattr_, delattr_,
         list_setitem, set_clear, set_update, everything, is_, map_, all_, len_, lookup_error) = _state

        def unchanged(mapping, names, values, whole):
            if whole and len_(mapping) != len_(names):
                return False
            try:
                return all_(map_(is_, map_(mapping.__getitem__, names), values))
            except lookup_error:
                return False

        mapping, pairs, _, names, values = table
        if not unchanged(mapping, names, values, False):
            mapping.update(pairs)
        for mapping, pairs, keys, names, values in exact:
            if not unchanged(mapping, names, values, True):
                mapping.update(pairs)
                for extra in mapping.keys() - keys:
                    del mapping[extra]
        for mapping, pairs, _, names, values in updated:
            if not unchanged(mapping, names, values, False):
                mapping.update(pairs)
        for cls, pairs, keys, names, values in class_state:
            current = cls.__dict__
            if unchanged(current, names, values, True):
                continue
            for name, value in pairs:
                if current.get(name, restore) is not value:
                    setattr_(cls, name, value)
            for extra in current.keys() - keys:
                delattr_(cls, extra)
        for container, snapshot in containers:
            if type(container) is list:
                list_setitem(container, everything, snapshot)
            else:
                set_clear(container)
                set_update(container, snapshot)
        for signum, handler in handlers:
            if getsignal(signum) is not handler:
                try:
                    setsignal(signum, handler)
                except (OSError, ValueError):
                    pass

    return restore


def _snapshot(mapping) -> tuple:
    """(mapping, its items, its keys, its names in order, its values in that order)."""
    pairs = tuple(mapping.items())
    return (mapping, pairs, frozenset(mapping), tuple(k for k, _ in pairs), tuple(v for _, v in pairs))


def make_audit_hook(protected_ids: frozenset, trusted: tuple, transparent: tuple,
                    unreadable: tuple, unwritable: tuple, transparent_functions: frozenset = frozenset()):
    """The sandbox's audit hook and a function listing what it refused.

    ``trusted``: path prefixes of library and grader code (other code is the
    student's); ``transparent``: library modules that hand frames or memory on to
    their caller (inspect, ctypes), looked through to find who asked, and
    ``transparent_functions`` the same for single functions, as
    ``(filename, name)`` (``traceback.walk_tb``: the rest of traceback only
    turns frames into text);
    ``unreadable`` / ``unwritable``: path prefixes no code in the sandbox may open
    (for reading / for writing).
    """
    getframe = sys._getframe
    fspath = os.fspath
    memory_file = re.compile(r"/proc/(\d+|self|thread-self)(/task/\d+)?/mem").fullmatch
    realpath = os.path.realpath
    busy = [False]
    refused: list[str] = []
    watched = frozenset(_WATCHED)

    def student_asks(frame) -> bool:
        """Whether ``frame`` (the code that raised the event) is the student's, looking through helpers."""
        while frame is not None:
            code = frame.f_code
            if not (code.co_filename.startswith(transparent)
                    or (code.co_filename, code.co_name) in transparent_functions):
                return not code.co_filename.startswith(trusted)
            frame = frame.f_back
        return False

    def process_memory(path) -> bool:
        """A process's memory file (``/proc/self/mem``): reading it finds what a frame holds (a
        command's nonce), writing it changes anything; no frame or ctypes refusal would matter."""
        try:
            path = fspath(path)
        except TypeError:
            return False
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        return bool(memory_file(realpath(path)))

    def under(path, prefixes: tuple) -> bool:
        try:
            path = fspath(path)
        except TypeError:
            return False  # a file descriptor
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        return realpath(path).startswith(prefixes)

    def verdict(event: str, args: tuple, frame) -> str | None:
        if event in _ALWAYS_REFUSED:
            return event
        if event in ("object.__setattr__", "object.__delattr__"):
            return f"changing {args[1]} of the grader's {getattr(args[0], '__qualname__', '?')}" \
                if id(args[0]) in protected_ids else None
        if event == "open":
            path, mode, flags = args
            if isinstance(path, int):
                return None
            writing = (mode is not None and any(c in mode for c in "wax+")) or \
                (mode is None and isinstance(flags, int) and flags & _WRITE_FLAGS)
            if under(path, unreadable) or (writing and under(path, unwritable)) or process_memory(path):
                return f"opening {fspath(path)}" + (" for writing" if writing else "")
            return None
        if event in _PATH_EVENTS:
            for i in _PATH_EVENTS[event]:
                if i < len(args) and args[i] is not None and under(args[i], unwritable):
                    return f"{event} on {args[i]}"
            return None
        if event in _REFUSED_FOR_STUDENT:
            return event if student_asks(frame) else None
        if event == "object.__getattr__":
            return f"reading {args[1]}" if args[1] in _FRAME_ATTRIBUTES and student_asks(frame) else None
        if event in ("compile", "code.__new__"):
            filename = args[1]
            if isinstance(filename, bytes):
                filename = os.fsdecode(filename)
            if isinstance(filename, str) and filename.startswith(trusted) and student_asks(frame):
                return f"compiling code that claims to be {filename}"
            return None
        return None

    # No exception for Python's own bytecode caches: importlib's writer can be called
    # directly, and a planted .pyc would run in the next process. A refused cache
    # write is silently skipped by importlib.
    def hook(event, args):
        if busy[0] or (event not in watched and not event.startswith("ctypes.")):
            return
        busy[0] = True  # what the hook itself does (frames, paths) raises events too
        try:
            frame = getframe(1)  # the code that raised the event
            if event.startswith("ctypes."):
                why = event if student_asks(frame) else None
            else:
                why = verdict(event, args, frame)
        finally:
            busy[0] = False
        if why is not None:
            refused.append(why)
            raise PermissionError(f"not allowed while grading: {why}")

    def take_refused() -> list[str]:
        taken = refused[:]
        del refused[:]
        return taken

    return hook, take_refused


def other_threads() -> int:
    """Python threads running besides this one (a submission's own threads)."""
    return _thread._count()


class Guard:
    """What the sandbox installs once, before the first student cell; see the module docstring."""

    def __init__(self, *, grader_root: str, unwritable: tuple[str, ...] = ()):
        import numpy
        import torch
        import torch.nn.functional

        modules, classes, functions = grader_objects()
        registry_values = [v for m in modules for d in vars(m).values() if type(d) is dict
                           for v in d.values() if type(v) in classes]
        self.restore = make_restore(
            modules, [torch, torch.nn, torch.nn.functional, numpy, torch.linalg],
            [torch.Tensor, torch.nn.Parameter, torch.nn.Module, torch.nn.Embedding, torch.nn.Linear],
            [v for v in registry_values if hasattr(v, "__dict__")], functions)
        from autograder.checks import _probe
        _probe.use_restore(self.restore)  # before freezing: the probe calls it after each student call
        freeze(classes)
        functions.append(self.restore)
        protected = frozenset(id(x) for x in (*classes, *functions))
        self.keep_alive = (classes, functions)  # the ids above stay theirs only while they live
        prefixes = {os.path.realpath(p) + os.sep for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
        libraries = tuple(sorted(prefixes)) + ("<frozen ",)
        grader = os.path.realpath(grader_root) + os.sep
        stdlib = os.path.dirname(os.path.realpath(os.__file__)) + os.sep
        transparent = (stdlib + "inspect.py", stdlib + "ctypes" + os.sep)
        walkers = frozenset((stdlib + "traceback.py", name) for name in ("walk_stack", "walk_tb"))
        unreadable = tuple(grader + name + os.sep for name in ("reference", "examples"))
        self.hook, self.take_refused = make_audit_hook(
            protected, libraries + (grader,) + self._package_roots(), transparent, unreadable,
            tuple(sorted(prefixes)) + (os.path.dirname(grader.rstrip(os.sep)) + os.sep,)
            + tuple(os.path.realpath(p) + os.sep for p in unwritable), walkers)
        sys.addaudithook(self.hook)

    @staticmethod
    def _package_roots() -> tuple[str, ...]:
        try:
            import widgets  # the course widgets (a student install may live outside the venv)
        except ImportError:  # a course without them still grades
            return ()
        return (os.path.dirname(os.path.realpath(widgets.__file__)) + os.sep,)
