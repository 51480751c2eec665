"""Throwaway local accounts for tests that need real users (the nbgrader exchange, JupyterHub).

nbgrader takes a student's id from the login name of the process's account
(``pwd.getpwuid(os.getuid())``, not ``$USER``), so two students are two accounts.
Creating accounts needs root (CI runs as root); the accounts and their homes are
removed afterwards, even when the test fails. Each test module names its accounts with
its own tag (``el-ex-alice``, ``el-hub-alice``): pytest-xdist runs modules side by side,
and two modules sharing an account would remove each other's (and kill its processes).
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import pwd
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

PREFIX = "el-"  # embedding-lab's test accounts; never a real user's name
# The account files (/etc/passwd, /etc/group, /etc/shadow) are shared by every xdist
# worker: each change to them goes through this lock, one at a time, machine-wide.
ACCOUNTS_LOCK = Path("/run/lock/embedding-lab-test-accounts.lock")


@contextlib.contextmanager
def _accounts_locked():
    ACCOUNTS_LOCK.parent.mkdir(parents=True, exist_ok=True)
    with ACCOUNTS_LOCK.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def require_root() -> None:
    if os.geteuid() != 0 or not shutil.which("useradd"):
        pytest.skip("needs root and useradd to create local test users (CI runs as root)")


def account_tool(*argv: str, input: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run a shadow tool (groupadd, chpasswd, usermod, ...) under the machine-wide accounts lock."""
    with _accounts_locked():
        proc = subprocess.run(argv, input=input, capture_output=True, text=True)
    if check:
        assert proc.returncode == 0, f"{' '.join(argv)}: exit {proc.returncode}: {proc.stderr}"
    return proc


@contextlib.contextmanager
def local_users(*names: str, tag: str):
    """Create ``el-<tag>-<name>`` accounts with homes; yield {name: account}; remove them after."""
    require_root()
    accounts = {name: f"{PREFIX}{tag}-{name}" for name in names}
    created = []
    try:
        for account in accounts.values():
            with contextlib.suppress(KeyError):
                pwd.getpwnam(account)
                _remove(account)  # left over from an interrupted run
            account_tool("useradd", "--create-home", "--shell", "/bin/bash", account)
            created.append(account)
        yield accounts
    finally:
        for account in created:
            _remove(account)


def _remove(account: str) -> None:
    # Whatever still runs as the test account was started by the test (a hub's user server
    # shutting down late, say): stop it by pid first, or a later account with the same uid
    # would share a home with it.
    pids = subprocess.run(["pgrep", "-u", account], capture_output=True, text=True).stdout.split()
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid), signal.SIGTERM)
    deadline = time.monotonic() + 10
    while pids and time.monotonic() < deadline:
        pids = [p for p in pids if Path(f"/proc/{p}").exists()]
        time.sleep(0.2)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid), signal.SIGKILL)
    account_tool("userdel", "--remove", "--force", account, check=False)


def home(account: str) -> Path:
    return Path(pwd.getpwnam(account).pw_dir)


def run_as(account: str, *args: str, cwd: Path | None = None, env: dict | None = None,
           check: bool = True) -> subprocess.CompletedProcess:
    """Run a command as ``account`` in its home (a login-like environment: HOME, USER, PATH)."""
    user_env = {"HOME": str(home(account)), "USER": account, "LOGNAME": account,
                "PATH": os.environ["PATH"], "LANG": "C.UTF-8", **(env or {})}
    proc = subprocess.run(["runuser", "-u", account, "--", "env", "-i",
                           *[f"{k}={v}" for k, v in user_env.items()], *args],
                          cwd=cwd or home(account), capture_output=True, text=True)
    if check:
        assert proc.returncode == 0, f"{account}: {' '.join(args)}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc
