"""Building student environments for tests: the wheel, a Debian CPython venv, the README's install.

Used by tests/test_student_install.py (fresh venvs of two Pythons) and by the tests
that need a student's environment another account can run (the exchange, JupyterHub).
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "embedding-lab"


def build_wheel(into: Path) -> Path:
    """The student wheel as ``make student-wheel`` builds it (in a copy: the tree stays clean); its dist/."""
    shutil.copytree(REPO / "widgets", into / "widgets",
                    ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))
    shutil.copy(REPO / "Makefile", into / "Makefile")
    _run("make", "-s", "student-wheel", f"PYTHON={sys.executable}", cwd=into)
    return into / "dist"


def readme_student_commands() -> list[str]:
    """The shell lines of the README's student install block, comments removed."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## For students", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    lines = [re.sub(r"\s+#.*$", "", line).strip() for line in block.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def _run(*args, cwd=None, env=None, check=True) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True)
    if check:
        assert proc.returncode == 0, f"{shlex.join(map(str, args))}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def debian_python(version: str, where: Path | None = None) -> Path:
    """Debian's CPython ``version`` (tools/debian-python.sh), by default kept in the user's cache."""
    where = where or CACHE / f"python{version}"
    python = _run("bash", REPO / "tools" / "debian-python.sh", version, where)
    assert f"python {version}." in python.stdout, python.stdout
    return where / "bin" / f"python{version}"


def fresh_venv(version: str, where: Path) -> tuple[Path, dict]:
    """A new venv of Debian's CPython ``version``, and the environment its commands run in."""
    _run(debian_python(version), "-m", "venv", where)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON", "JUPYTER"))}
    env.update(PATH=f"{where / 'bin'}{os.pathsep}{os.environ['PATH']}", VIRTUAL_ENV=str(where),
               PIP_CONSTRAINT=str(where / "constraints.txt"), JUPYTER_PLATFORM_DIRS="1", HOME=str(where / "home"),
               # a fresh HOME (no user config), but pip's usual cache: wheels seen before are not fetched again
               PIP_CACHE_DIR=os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip"))
    (where / "home").mkdir()
    (where / "constraints.txt").write_text("torch==2.13.0\n")
    return where, env


def readme_install_line() -> list[str]:
    (line,) = [c for c in readme_student_commands() if c.startswith("pip install") and "embedding_lab_widgets" in c]
    return shlex.split(line)




def install_student(venv: Path, env: dict, dist: Path) -> None:
    """torch 2.13.0 (the CPU build pip finds here, for the README's CPU-index step), then the README's line."""
    _run(venv / "bin" / "pip", "install", "-q", "torch==2.13.0", env=env)
    args = readme_install_line()
    _run(venv / "bin" / args[0], *args[1:], cwd=dist, env=env)


def shared_student_env(tmp: Path) -> Path:
    """The README's student install in a venv of Debian's 3.11 that every account can run, plus
    JupyterHub (hub/requirements.txt): the user environment of the hub (README, "JupyterHub").

    It lives under /var/tmp (the user's cache may be private to them), keyed by the student
    package's contents and the hub's requirements; built again only when those change.
    """
    digest = hashlib.sha256((REPO / "hub" / "requirements.txt").read_bytes())
    for path in sorted((REPO / "widgets").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and ".egg-info" not in str(path):
            digest.update(path.relative_to(REPO).as_posix().encode() + path.read_bytes())
    venv = Path("/var/tmp") / f"embedding-lab-student-env-{digest.hexdigest()[:12]}"
    with open(Path("/var/tmp") / "embedding-lab-student-env.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the exchange and hub tests may ask at once (pytest -n 2)
        if not (venv / ".complete").is_file():
            _build_shared_env(venv, tmp)
    return venv


def _build_shared_env(venv: Path, tmp: Path) -> None:
    for stale in venv.parent.glob("embedding-lab-student-env-*"):  # earlier versions: about 1.5 GB each
        shutil.rmtree(stale, ignore_errors=True)
    python = debian_python("3.11", Path("/var/tmp") / "embedding-lab-python3.11")
    _run(python, "-m", "venv", venv)
    env = {**os.environ, "PIP_CONSTRAINT": str(tmp / "constraints.txt"), "VIRTUAL_ENV": str(venv)}
    (tmp / "constraints.txt").write_text("torch==2.13.0\n")
    install_student(venv, env, build_wheel(tmp))
    _run(venv / "bin" / "pip", "install", "-q", "-r", REPO / "hub" / "requirements.txt", env=env)
    # (The README's `disable` lines are left out: on the hub, hub/student/ hides the formgrader
    # for students only, and the instructor's server in the same environment keeps it.)
    venv.chmod(0o755)
    (venv / ".complete").write_text("")
