"""The warm server: multiprocessing's forkserver with the sandbox module preloaded.

Kept apart from ``worker.py`` (which imports torch through the checks) so the
command line can start the server first and let it import torch on the other
core while the grading process does its own imports.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import threading
from multiprocessing import forkserver, spawn

_context = None
_starting = threading.local()
_preparation_data = spawn.get_preparation_data


def _without_main(name):
    # multiprocessing re-imports the parent's __main__ in every child so that
    # pickled functions from it resolve. A sandbox needs nothing from it, and when
    # the parent is the `embedding-lab` console script that import (the CLI and
    # its nbformat/jsonschema imports) costs a second per submission.
    data = _preparation_data(name)
    if getattr(_starting, "sandbox", False):
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
    return data


spawn.get_preparation_data = _without_main


@contextlib.contextmanager
def starting_sandbox():
    """Within this block, processes started by this thread skip the re-import of ``__main__``."""
    _starting.sandbox = True
    try:
        yield
    finally:
        _starting.sandbox = False


def forkserver_context():
    """The multiprocessing context whose server has already imported torch and the probes."""
    global _context
    if _context is None:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["autograder.grading.sandbox"])
        _context = ctx
    return _context


def start_warm_server() -> None:
    """Start the forkserver now (its imports take seconds) instead of at the first sandbox."""
    forkserver_context()
    forkserver.ensure_running()


def run_sandbox(commands, replies, memory_bytes: int, workdir: str | None = None,
                unwritable: tuple[str, ...] = ()) -> None:
    """Process target: the sandbox module is preloaded in the server, so this import is free.

    (Naming ``sandbox.serve`` directly would make the grading process import the
    sandbox module, with its IPython shell, just to pickle a reference to it.)
    """
    from .sandbox import serve

    serve(commands, replies, memory_bytes, workdir, unwritable)
