"""Copying, reading and removing a submission's files without trusting them.

The grading process runs as the instructor (or root), so it must never follow a
student's symlink, block on a FIFO, read a device, copy a file of any size or walk
a folder of any depth or width:

- every walk is a loop over an explicit stack (never recursion), at most
  ``MAX_DEPTH`` folders deep and ``MAX_ENTRIES`` entries wide in all;
- regular files are copied up to a size; folders are made; everything else is
  left out with a line saying so;
- a symlink is kept only when it leads, inside the copy, straight to a regular
  file the copy holds: a relative target with no ``..`` and no link on the way. A
  link that leads anywhere else (a folder, ``C -> .``, ``B -> C/..``, an absolute
  path, nothing) is left out, so no link in a working copy, in ``autograded/`` or
  (nbgrader copies from there) in ``feedback/`` reaches outside its submission, and
  nbgrader's ``chmod`` of what it finds there touches only that submission's files.
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
MAX_DEPTH = 32
"""Folders nested deeper than this are left out."""
MAX_ENTRIES = 10_000
"""Files, folders and links copied per submission; the rest is left out."""
MAX_PROBLEMS = 20
"""Lines about left-out files per copy; the rest are counted in one more."""
MAX_TIMESTAMP_BYTES = 4096
IGNORED = ("*.ipynb", ".ipynb_checkpoints", "__pycache__")
_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


def _ignored(name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(name, p) for p in patterns)


class _Problems(list):
    """Lines about what was left out, at most ``MAX_PROBLEMS`` of them and a count of the rest."""

    more = 0

    def add(self, line: str) -> None:
        if len(self) < MAX_PROBLEMS:
            self.append(line)
        else:
            self.more += 1

    def lines(self) -> list[str]:
        return list(self) + ([f"{self.more} more file(s) left out"] if self.more else [])


def copy_files(source: Path, dest: Path, ignore: tuple[str, ...] = IGNORED, label: str = "") -> list[str]:
    """Copy ``source``'s files into ``dest`` (over what is there); returns what was left out, in words."""
    problems = _Problems()
    total = entries = 0
    source = Path(os.path.normpath(source))
    links: list[tuple[Path, str, str]] = []  # (where in dest, target, how it is shown): kept after the files
    stack = [Path(".")]
    too_deep = crowded = False
    while stack:
        rel = stack.pop()
        try:
            with os.scandir(source / rel) as found:
                names = sorted(e.name for e in found)
        except OSError as exc:
            problems.add(f"{label}{rel} could not be read ({exc.strerror or exc}); left out")
            continue
        subfolders = []
        for name in names:
            src, dst, shown = source / rel / name, dest / rel / name, f"{label}{rel / name}"
            if _ignored(name, ignore):
                continue
            entries += 1
            if entries > MAX_ENTRIES:
                crowded = True
                break
            try:
                info = os.lstat(src)
                if stat.S_ISDIR(info.st_mode):
                    if len(rel.parts) + 1 > MAX_DEPTH:
                        too_deep = True
                        continue
                    _clear(dst, keep_dir=True)
                    dst.mkdir(exist_ok=True)
                    subfolders.append(rel / name)
                elif stat.S_ISLNK(info.st_mode):
                    links.append((dst, os.readlink(src), shown))
                elif not stat.S_ISREG(info.st_mode):
                    problems.add(f"{shown} is not a regular file; left out")
                elif info.st_size > MAX_FILE_BYTES or total + info.st_size > MAX_TOTAL_BYTES:
                    problems.add(f"{shown} is too large ({info.st_size / 2**20:.0f} MiB); left out")
                else:
                    _clear(dst)
                    _copy_regular(src, dst)
                    total += info.st_size
            except OSError as exc:
                problems.add(f"{shown} could not be copied ({exc.strerror or exc}); left out")
        if crowded:
            break
        stack.extend(reversed(subfolders))
    for dst, target, shown in links:
        try:
            if _leads_to_a_copied_file(dest, dst, target):
                _clear(dst)
                os.symlink(target, dst)
            elif not _resolves_inside(source, source / dst.relative_to(dest)):
                problems.add(f"{shown} is a link to a place outside the submission; left out")
            else:
                problems.add(f"{shown} is a link that does not lead straight to a file of the submission; left out")
        except OSError as exc:
            problems.add(f"{shown} could not be copied ({exc.strerror or exc}); left out")
    lines = problems.lines()
    if too_deep:
        lines.append(f"{label or 'the submission'} has folders nested more than {MAX_DEPTH} deep; "
                     "what is below was left out")
    if crowded:
        lines.append(f"{label or 'the submission'} holds more than {MAX_ENTRIES} files and folders; "
                     "the rest was left out")
    return lines


def _leads_to_a_copied_file(dest: Path, link: Path, target: str) -> bool:
    """Whether ``target`` (a link at ``link`` in ``dest``) names, with no ``..`` and no link on the way,
    a regular file that is in ``dest``."""
    if not target or "\0" in target or os.path.isabs(target) or ".." in Path(target).parts:
        return False
    lexical = os.path.normpath(os.path.join(link.parent, target))
    root = os.path.normpath(dest)
    if not lexical.startswith(root + os.sep):
        return False
    try:
        info = os.lstat(lexical)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and os.path.realpath(lexical) == os.path.realpath(root) + lexical[len(root):]


def _resolves_inside(root: Path, link: Path) -> bool:
    """Whether the link resolves (links followed as the kernel would, files never opened) inside ``root``:
    only to say, in the report, where a left-out link led."""
    resolved, top = os.path.realpath(link), os.path.realpath(root)
    return resolved == top or resolved.startswith(top + os.sep)


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


def remove_tree(path: Path | str) -> None:
    """``rm -rf path``, never following a link, with one open folder at a time and no recursion:
    a folder a submission filled (under ``--isolation none``) may be deeper than any path can be long."""
    try:
        current = os.open(path, _DIRECTORY)
    except FileNotFoundError:
        return
    except OSError:
        try:
            os.unlink(path)
        except OSError:
            pass
        return
    stack = [("", _empty_out(current))]  # (name of the folder, its subfolders not yet removed)
    while stack:
        name, subfolders = stack[-1]
        if subfolders:
            child = subfolders.pop()
            try:
                below = os.open(child, _DIRECTORY, dir_fd=current)
            except OSError:
                continue
            os.close(current)
            current = below
            stack.append((child, _empty_out(current)))
            continue
        stack.pop()
        if not stack:
            break
        parent = os.open("..", _DIRECTORY & ~os.O_NOFOLLOW, dir_fd=current)
        os.close(current)
        current = parent
        try:
            os.rmdir(name, dir_fd=current)
        except OSError:
            pass
    os.close(current)
    try:
        os.rmdir(path)
    except OSError:
        pass


def _empty_out(folder_fd: int) -> list[str]:
    """Unlink everything in the open folder but its subfolders; returns their names."""
    subfolders = []
    with os.scandir(folder_fd) as entries:
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    subfolders.append(entry.name)
                else:
                    os.unlink(entry.name, dir_fd=folder_fd)
            except OSError:
                pass
    return subfolders


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


def timestamp_problem(folder: Path) -> str | None:
    """Why ``folder/timestamp.txt`` will not be read (a link, not a file, too large), or None."""
    stamp = folder / "timestamp.txt"
    try:
        info = os.lstat(stamp)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"timestamp.txt could not be read ({exc.strerror or exc}); not graded"
    if not stat.S_ISREG(info.st_mode):
        return "timestamp.txt is not a regular file; not graded"
    if info.st_size > MAX_TIMESTAMP_BYTES:
        return f"timestamp.txt is too large to be a date ({info.st_size} bytes); not graded"
    return None


def without_outputs(nb):
    """``nb`` with its code cells' outputs dropped (nbgrader clears them before grading anyway):
    what a submission printed or embedded is never held while it is graded."""
    for cell in nb.get("cells", []):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def plain_text(nb):
    """``nb`` with every string a notebook file can hold: lone surrogates (JSON carries them, UTF-8
    cannot) are written as escapes. Iterative, so any nesting is fine."""
    todo = [nb]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            for key in [k for k in node if isinstance(k, str) and _plain(k) is not k]:
                node[_plain(key)] = node.pop(key)
        for key, value in list(node.items() if isinstance(node, dict) else enumerate(node)):
            if isinstance(value, str):
                node[key] = _plain(value)
            elif isinstance(value, (dict, list)):
                todo.append(value)
    return nb


def _plain(text: str) -> str:
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
