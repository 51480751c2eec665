"""A throwaway PostgreSQL server for the --db-url tests: unix socket only, in tmp.

Uses the machine's PostgreSQL binaries (Debian's postgresql package); when they
are missing the tests that need it are skipped with the reason.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

BIN_DIRS = [Path(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)] + [Path("/usr/local/bin")]


def _tool(name: str) -> str | None:
    for folder in BIN_DIRS:
        if (folder / name).is_file():
            return str(folder / name)
    return shutil.which(name)


def unavailable() -> str | None:
    """Why no server can be started here, or None."""
    if not (_tool("initdb") and _tool("pg_ctl")):
        return "PostgreSQL's initdb/pg_ctl are not installed (apt-get install postgresql)"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "running as root without runuser to start PostgreSQL as its own user"
    return None


@contextlib.contextmanager
def postgres_server(database: str = "grades"):
    """Yield a SQLAlchemy URL of a fresh database on a private server; stop and delete it after."""
    root = Path(tempfile.mkdtemp(prefix="embedding-lab-pg-"))
    data, socket_dir = root / "data", root / "socket"
    socket_dir.mkdir()
    as_owner: list[str] = []
    user = os.environ.get("USER", "postgres")
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(root, "postgres")
        shutil.chown(socket_dir, "postgres")
        as_owner, user = ["runuser", "-u", "postgres", "--"], "postgres"
    port = "54329"
    try:
        subprocess.run([*as_owner, _tool("initdb"), "-D", str(data), "-U", user, "--auth=trust", "-E", "UTF8"],
                       check=True, capture_output=True)
        options = f"-k {socket_dir} -p {port} -c listen_addresses='' -c fsync=off"
        subprocess.run([*as_owner, _tool("pg_ctl"), "-D", str(data), "-o", options, "-w", "-l",
                        str(root / "log"), "start"], check=True, capture_output=True)
        subprocess.run([*as_owner, _tool("createdb") or "createdb", "-h", str(socket_dir), "-p", port, "-U", user,
                        database], check=True, capture_output=True)
        yield f"postgresql://{user}@/{database}?host={socket_dir}&port={port}"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([*as_owner, _tool("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                           capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
