"""Copying a submission's files without trusting them.

The grading process runs as the instructor (or root), so it must never follow a
student's symlink, block on a FIFO, read a device or copy a file of any size.
Regular files are copied (up to a size), symlinks only when they point inside
the submission, everything else is left out with a line saying so.
"""
from __future__ import annotations

import fnmatch
import os
import stat
from pathlib import Path

MAX_FILE_BYTES = 64 * 2**20
MAX_TOTAL_BYTES = 256 * 2**20
MAX_NOTEBOOK_BYTES = 32 * 2**20
"""A submitted notebook larger than this is not read (graded as empty)."""
IGNORED = ("*.ipynb", ".ipynb_checkpoints", "__pycache__")


def _ignored(name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(name, p) for p in patterns)


def _inside(root: Path, link: Path) -> bool:
    target = os.readlink(link)
    if os.path.isabs(target):
        return False
    resolved = os.path.normpath(os.path.join(os.path.dirname(link), target))
    return resolved == str(root) or resolved.startswith(str(root) + os.sep)


def copy_files(source: Path, dest: Path, ignore: tuple[str, ...] = IGNORED, label: str = "") -> list[str]:
    """Copy ``source``'s files into ``dest`` (over what is there); returns what was left out, in words."""
    problems: list[str] = []
    total = 0
    source = Path(os.path.normpath(source))
    for folder, dirs, files in os.walk(source, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not _ignored(d, ignore))
        rel = Path(folder).relative_to(source)
        target_dir = dest / rel
        for name in sorted(dirs + files):
            if name in files and _ignored(name, ignore):
                continue
            src, dst = Path(folder) / name, target_dir / name
            shown = f"{label}{rel / name}"
            try:
                info = os.lstat(src)
                if stat.S_ISDIR(info.st_mode):
                    _clear(dst, keep_dir=True)
                    dst.mkdir(exist_ok=True)
                elif stat.S_ISLNK(info.st_mode):
                    if _inside(source, src):
                        _clear(dst)
                        os.symlink(os.readlink(src), dst)
                    else:
                        problems.append(f"{shown} is a link to a place outside the submission; left out")
                elif not stat.S_ISREG(info.st_mode):
                    problems.append(f"{shown} is not a regular file; left out")
                elif info.st_size > MAX_FILE_BYTES or total + info.st_size > MAX_TOTAL_BYTES:
                    problems.append(f"{shown} is too large ({info.st_size / 2**20:.0f} MiB); left out")
                else:
                    _clear(dst)
                    _copy_regular(src, dst)
                    total += info.st_size
            except OSError as exc:
                problems.append(f"{shown} could not be copied ({exc.strerror or exc}); left out")
    return problems


def _clear(path: Path, keep_dir: bool = False) -> None:
    """Remove what is at ``path`` (never following a link) so a copy cannot write through it."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        if keep_dir:
            return
        raise IsADirectoryError(f"{path} is a folder")
    os.unlink(path)


def _copy_regular(src: Path, dst: Path) -> None:
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK  # a FIFO swapped in since lstat cannot block us
    fd_in = os.open(src, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd_in).st_mode):
            raise OSError(0, "not a regular file")
        fd_out = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
        try:
            left = MAX_FILE_BYTES
            while chunk := os.read(fd_in, min(1 << 20, left + 1)):
                left -= len(chunk)
                if left < 0:
                    raise OSError(0, "grew while being copied")
                os.write(fd_out, chunk)
        finally:
            os.close(fd_out)
    finally:
        os.close(fd_in)


def readable_notebook_size(path: Path) -> str | None:
    """None when ``path`` is a regular notebook file of a sane size, else why it will not be read."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        return f"the notebook could not be read ({exc.strerror or exc})"
    if stat.S_ISLNK(info.st_mode):
        return "the notebook is a link; not followed"
    if not stat.S_ISREG(info.st_mode):
        return "the notebook is not a regular file"
    if info.st_size > MAX_NOTEBOOK_BYTES:
        return f"the notebook is too large to read ({info.st_size / 2**20:.0f} MiB)"
    return None
