"""The warm server: multiprocessing's forkserver with the sandbox module preloaded.

Kept apart from ``worker.py`` (which imports torch through the checks) so the
command line can start the server first and let it import torch on the other
core while the grading process does its own imports.
"""
from __future__ import annotations

import multiprocessing
from multiprocessing import forkserver

_context = None


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
