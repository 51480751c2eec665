"""The kernel calls that put one submission in its own namespaces (Linux only).

Used inside the sandbox view that ``bwrap`` built (see ``isolation.py``), by the
forked child of the warm server, before any student code exists:

- ``private_mounts``: a new mount, PID, network, IPC and UTS namespace; private
  size-limited tmpfs on ``/tmp``, ``/dev/shm`` and the submission's folder (its
  files copied in); its own terminals (a new ``devpts`` instance: a terminal another
  submission opens is not there); the shared job folder and the hidden-test
  folder covered by empty ones, so no other submission and no check file is visible
  (the checks of the assignment being graded are already imported by then).
- ``hide_proc`` (in the PID namespace's first process): no ``/proc``;
- ``become_student`` (in the sandbox, under it): no capabilities, an unprivileged
  uid, no new privileges and resource limits.

Mounts made here are locked for the student (the kernel refuses to unmount them
from a less privileged namespace), which is what makes them a boundary.
"""
from __future__ import annotations

import ctypes
import os
import resource
import shutil
import stat

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_MOVE = 32, 4096, 8192
MS_REC, MS_PRIVATE = 1 << 14, 1 << 18
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP = 1, 38, 24
_LAST_CAP = 63  # PR_CAPBSET_DROP on a capability the kernel does not know fails harmlessly

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    enc = (lambda s: s.encode() if s is not None else None)
    _check(_libc.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)), f"mount {target}")


def unshare(flags: int) -> None:
    _check(_libc.unshare(ctypes.c_int(flags)), "unshare")


def set_parent_death_signal(signum: int) -> None:
    _check(_libc.prctl(PR_SET_PDEATHSIG, ctypes.c_ulong(signum), 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")


def private_mounts(job: str, workdir: str, uid: int, gid: int, disk_bytes: int, staging: str,
                   keep_in_tmp: tuple[str, ...] = (), hidden: tuple[str, ...] = ()) -> None:
    """New namespaces for one submission, and its private writable folders.

    ``job`` is its working copy under ``/jobs`` (read-only, every submission's), ``workdir``
    the empty directory its private copy goes to, ``staging`` an empty directory where the
    new ``/tmp`` is prepared; ``keep_in_tmp``: read-only folders under ``/tmp`` (a venv
    or a checkout there) that must stay visible in the new one; ``hidden``: folders
    covered by an empty one.
    """
    unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS)
    _mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing below propagates back to the warm server
    size = f"size={max(disk_bytes // 2**20, 1)}m"
    _mount("tmpfs", staging, "tmpfs", MS_NOSUID | MS_NODEV, f"{size},mode=1777")
    for folder in keep_in_tmp:
        inside = os.path.join(staging, os.path.relpath(folder, "/tmp"))
        os.makedirs(inside, mode=0o755, exist_ok=True)
        _mount(folder, inside, None, MS_BIND | MS_REC)
        _mount(None, inside, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC)
    _mount(staging, "/tmp", None, MS_MOVE)
    if os.path.isdir("/dev/shm"):
        _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, f"size=64m,mode=1777")
    if os.path.isdir("/dev/pts"):  # bubblewrap's /dev/ptmx leads to pts/ptmx: this instance's
        _mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620")
    for folder in hidden:
        _mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, "size=4k,mode=0555")
    _mount("tmpfs", workdir, "tmpfs", MS_NOSUID | MS_NODEV, f"{size},mode=0700,uid={uid},gid={gid}")
    copy_tree(job, workdir, uid, gid)
    # the other submissions' copies: covered (unmounting is refused where bubblewrap's
    # own user namespace locked the mount; a cover the student cannot lift either way)
    _mount("tmpfs", "/jobs", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, "size=4k,mode=0555")


def check_folders() -> tuple[str, ...]:
    """The folder of the hidden-test modules (``autograder/checks``), as the sandbox view has it."""
    from autograder import checks

    return (os.path.dirname(os.path.realpath(checks.__file__)),)


def copy_tree(source: str, target: str, uid: int, gid: int) -> None:
    """Regular files, folders and symlinks (as links, never followed), owned by ``uid``.

    ``source`` is a working copy the grading process made (``files.py``: bounded in
    depth and size); the walk is iterative all the same."""
    for folder, dirs, files in walk(source):
        rel = os.path.relpath(folder, source)
        dest = target if rel == "." else os.path.join(target, rel)
        if rel != ".":
            os.mkdir(dest, 0o700)
            os.chown(dest, uid, gid)
        for name in dirs + files:
            src, dst = os.path.join(folder, name), os.path.join(dest, name)
            info = os.lstat(src)
            if stat.S_ISLNK(info.st_mode):
                os.symlink(os.readlink(src), dst)
                os.lchown(dst, uid, gid)
            elif stat.S_ISREG(info.st_mode):
                shutil.copyfile(src, dst, follow_symlinks=False)
                os.chown(dst, uid, gid)
                os.chmod(dst, 0o600 | (info.st_mode & 0o100))


def walk(top: str):
    """``os.walk(top)`` without following links, as a loop (Python 3.11's walk recurses)."""
    stack = [top]
    while stack:
        folder = stack.pop()
        dirs: list[str] = []
        files: list[str] = []
        with os.scandir(folder) as entries:
            for entry in entries:
                (dirs if entry.is_dir(follow_symlinks=False) else files).append(entry.name)
        yield folder, dirs, files
        stack.extend(os.path.join(folder, d) for d in reversed(dirs))


def hide_proc() -> None:
    """In the new PID namespace's first process: no /proc at all (an empty folder in its place).

    The warm server's /proc shows the grading server's processes; a fresh one would show
    the submission's own, and with them its own memory (``/proc/self/mem``), which the
    interpreter's guards cannot watch (a path relative to a folder descriptor is never
    audited). Nothing the sandbox runs needs it."""
    _mount("tmpfs", "/proc", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, "size=4k,mode=0555")


def become_student(uid: int, *, processes: int, cpu_seconds: int, file_bytes: int) -> None:
    """Drop every privilege: no capabilities, an unprivileged uid, no new privileges, limits."""
    for cap in range(_LAST_CAP + 1):
        _libc.prctl(PR_CAPBSET_DROP, ctypes.c_ulong(cap), 0, 0, 0)
    if os.getuid() == 0:  # root in the initial user namespace: become nobody in particular
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)  # clears the permitted and effective capabilities
    _drop_capabilities()
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")
    for limit, value in ((resource.RLIMIT_NPROC, processes), (resource.RLIMIT_CPU, cpu_seconds),
                         (resource.RLIMIT_FSIZE, file_bytes), (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(limit, (value, value))


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _drop_capabilities() -> None:
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    _check(_libc.capset(ctypes.byref(header), ctypes.byref(data)), "capset")
