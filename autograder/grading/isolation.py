"""Which operating-system boundary submissions are graded behind, and the view inside it.

``namespaces`` (the default): the warm server runs under ``bwrap`` (Debian's
bubblewrap) in its own mount, PID, network, IPC and UTS namespaces, and sees only a
read-only view of the Python environment (the interpreter, the virtual environment
and the grader's and widgets' packages, with ``autograder/reference`` and
``autograder/examples`` replaced by empty folders), ``/usr`` and ``/etc``, a private
``/tmp`` and ``/jobs``, the working copies of the submissions being graded (read-only). No course
directory, gradebook, home directory or network. Each submission then gets its own
namespaces inside that (``namespaces.py``).

``none``: no OS boundary; only the guards inside the interpreter (``integrity.py``).
For trusted work, or a machine that does not allow namespaces, and only when asked for.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

NAMESPACES = "namespaces"
NONE = "none"
MODES = (NAMESPACES, NONE)
WORKDIR = "/submission"
"""Where a submission's private copy of its folder is, inside its sandbox."""
JOBS = "/jobs"
STAGING = "/.private-tmp"
"""An empty directory where each submission's private /tmp is prepared."""


class IsolationUnavailable(Exception):
    """This machine cannot run the namespace sandbox (the message says why, in one line)."""


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


@functools.lru_cache(maxsize=None)
def unavailable_reason() -> str | None:
    """None when the namespace sandbox works here; else one line saying why not."""
    bwrap = bwrap_path()
    if bwrap is None:
        return ("bubblewrap (bwrap) is not installed; install it (Debian: apt-get install bubblewrap) "
                "or pass --isolation none for trusted submissions")
    probe = subprocess.run([bwrap, *_namespace_flags(), "--ro-bind", "/", "/", "--proc", "/proc", "true"],
                           capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        why = (probe.stderr.strip().splitlines() or ["unknown error"])[-1]
        return (f"this machine does not allow the namespaces the grading sandbox needs ({why}); "
                "pass --isolation none to grade trusted submissions without an OS boundary")
    return None


def _namespace_flags() -> list[str]:
    flags = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
             "--die-with-parent", "--new-session"]
    if os.getuid() != 0:
        flags.append("--unshare-user")  # an unprivileged user gets its capabilities inside a user namespace
    return flags


def _python_roots() -> list[Path]:
    """Folders the grader's imports need: the interpreter, the venv, packages installed elsewhere."""
    roots = {Path(p).resolve() for p in (sys.base_prefix, sys.base_exec_prefix, sys.prefix, sys.exec_prefix)}
    roots.add(Path(sys.executable).resolve().parent.parent)
    for name in ("autograder", "widgets"):
        try:
            module = __import__(name)
        except ImportError:
            continue
        if module.__file__:
            roots.add(Path(module.__file__).resolve().parent)
    kept: list[Path] = []
    for root in sorted(roots, key=lambda p: len(p.parts)):
        if not any(root.is_relative_to(k) for k in kept) and root != Path("/") and root.exists():
            kept.append(root)
    return kept


def folders_under_tmp() -> tuple[str, ...]:
    """The read-only folders of the view that lie under /tmp (a checkout or venv there)."""
    return tuple(str(root) for root in _python_roots() if root.is_relative_to("/tmp"))


def _ancestors(path: Path) -> list[Path]:
    return [p for p in reversed(path.parents) if p != Path("/")]


def bwrap_command(jobs_dir: Path, argv: list[str]) -> list[str]:
    """The ``bwrap`` command line that runs ``argv`` (the warm server) in the sandbox view."""
    cmd = [bwrap_path() or "bwrap", *_namespace_flags(),
           "--cap-add", "CAP_SYS_ADMIN", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
           "--cap-add", "CAP_SETPCAP", "--cap-add", "CAP_CHOWN", "--cap-add", "CAP_FOWNER",
           "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
    for top in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / top
        if path.is_symlink():
            cmd += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            cmd += ["--ro-bind", str(path), str(path)]
    cmd += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--perms", "0755", "--dir", WORKDIR,
            "--perms", "0755", "--dir", STAGING]
    made: set[Path] = set()
    for root in _python_roots():
        for parent in _ancestors(root):
            if parent not in made and not parent.is_relative_to("/usr"):
                cmd += ["--perms", "0755", "--dir", str(parent)]
                made.add(parent)
        cmd += ["--ro-bind", str(root), str(root)]
    grader = Path(__file__).resolve().parents[1]
    for hidden in ("reference", "examples"):  # the solutions and the example submissions
        if (grader / hidden).exists():
            cmd += ["--tmpfs", str(grader / hidden), "--remount-ro", str(grader / hidden)]
    cmd += ["--ro-bind", str(jobs_dir), JOBS, "--chdir", "/tmp",
            "--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp", "--", *argv]
    return cmd
