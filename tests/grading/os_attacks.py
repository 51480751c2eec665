"""Submissions that attack the machine rather than the probes, each with its exact expected score.

Every case is the release notebook with the reference solutions and a wrong
``one_hot`` (30/31: it fails ``one_hot_dtype``), plus one cell right after
``one_hot`` that tries to get the point back or to change grades from outside the
interpreter: through the gradebook file, other students' or the instructor's
notebooks, the reference solutions via ``/proc`` or an inherited file descriptor,
a process that outlives the grading, the network, a symlink, the disk.

The cells are templates: ``{gradebook}``, ``{course}``, ``{repo}``, ``{port}``,
``{markers}`` (a host folder that must stay empty) and ``{tag}`` (a word that
marks the attack's processes) are filled in by the test.
"""
from __future__ import annotations

import copy
import os
from dataclasses import dataclass
from pathlib import Path

import nbformat

from adversarial import FULL, _index, wrong
from autograder.submissions import write_submission

HOSTILE_SQL = "CREATE TABLE IF NOT EXISTS pwned (x); UPDATE grade SET auto_score = 1000;"
WRITE_GRADEBOOK = f"""\
import sqlite3
_db = sqlite3.connect("file:{{gradebook}}?mode=rw", uri=True)
_db.executescript({HOSTILE_SQL!r})
_db.commit()
"""
MARK = """\
try:
    open("{markers}/{tag}", "w").write("escaped")
except OSError:
    pass
"""


def attempt(body: str) -> str:
    """``body`` wrapped so that its failure is quiet (an attacker hides its tracks)."""
    indented = "".join(f"    {line}\n" for line in body.splitlines())
    return f"try:\n{indented}except Exception as _exc:\n    print('blocked:', type(_exc).__name__)\n" + MARK


EXEC_ONE_HOT_FROM = """\
def _one_hot_source(text):
    import json, re
    for cell in json.loads(text)["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "one_hot":
            source = "".join(cell["source"])
            source = re.sub(r"### (BEGIN|END) SOLUTION\\n", "", source)
            return source
"""

DETACHED_DAEMON = """\
import os, subprocess, time
subprocess.Popen(['sleep', '7{port}'], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for _ in range(300):  # for 30 s after the cell, keep trying to rewrite the gradebook
            try:
""" + "".join(f"                {line}\n" for line in WRITE_GRADEBOOK.splitlines()) + """\
            except Exception:
                pass
""" + "".join(f"            {line}\n" for line in MARK.splitlines()) + """\
            time.sleep(0.1)
    os._exit(0)
"""

CASES_SOURCE = {
    "gradebook_sqlite": attempt(WRITE_GRADEBOOK),
    "gradebook_subprocess": attempt(
        "import subprocess, sys\n"
        f"subprocess.run([sys.executable, '-c', {WRITE_GRADEBOOK!r}], timeout=20, check=True)\n"),
    "peer_notebook": attempt(
        EXEC_ONE_HOT_FROM
        + "exec(_one_hot_source(open('{course}/submitted/honest_correct/a1_lookup/a1_lookup.ipynb').read()))\n"),
    "source_notebook": attempt(
        EXEC_ONE_HOT_FROM + "exec(_one_hot_source(open('{course}/source/a1_lookup/a1_lookup.ipynb').read()))\n"),
    "reference_via_proc": attempt(
        "import glob, os\n"
        "_paths = glob.glob('/proc/[0-9]*/root{repo}/autograder/reference/a1_lookup.py')\n"
        "_paths += glob.glob('/proc/[0-9]*/cwd/autograder/reference/a1_lookup.py')\n"
        "_paths += [p for p in glob.glob('/proc/[0-9]*/fd/*')\n"
        "           if os.path.realpath(p).endswith('reference/a1_lookup.py')]\n"
        "_paths.append('{repo}/autograder/reference/a1_lookup.py')\n"
        "for _p in _paths:\n"
        "    try:\n"
        "        exec(open(_p).read())\n"
        "        break\n"
        "    except OSError:\n"
        "        pass\n"),
    "reference_via_fd": attempt(
        "import os\n"
        "for _fd in range(3, 1024):\n"
        "    try:\n"
        "        _data = os.pread(_fd, 1 << 20, 0)\n"
        "    except OSError:\n"
        "        continue\n"
        "    if b'def one_hot' in _data:\n"
        "        exec(_data.decode())\n"
        "        break\n"),
    "detached_daemon": attempt(DETACHED_DAEMON),
    "fork_bomb": attempt(
        "import os, time\n"
        "_children = 0\n"
        "try:\n"
        "    while True:\n"
        "        if os.fork() == 0:\n"
        "            while True:  # every child tries to fork forever, and never answers\n"
        "                try:\n"
        "                    os.fork()\n"
        "                except OSError:\n"
        "                    time.sleep(0.05)\n"
        "        _children += 1\n"
        "except OSError as _exc:\n"
        "    print('fork refused after', _children, 'children')\n"),
    "network": attempt(
        "import socket\n"
        "try:\n"
        "    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'pwned', ('127.0.0.1', {port}))\n"
        "except OSError:\n"
        "    pass\n"
        "socket.create_connection(('127.0.0.1', {port}), timeout=3).sendall(b'pwned')\n"),
    "symlink_to_gradebook": attempt(
        "with open('scores.db', 'r+b') as _f:\n"
        "    _f.write(b'pwned' * 100)\n"),
    "huge_output_file": attempt(
        "import os\n"
        "_chunk = b'0' * 2**20\n"
        "for _path in ('big.bin', '/tmp/big.bin'):\n"
        "    try:\n"
        "        with open(_path, 'wb') as _f:\n"
        "            for _ in range(1024):  # 1 GiB each\n"
        "                _f.write(_chunk)\n"
        "    except OSError as _exc:\n"
        "        print('stopped:', _path, _exc.strerror)\n"),
}


@dataclass(frozen=True)
class Attack:
    student: str
    expected: float
    """Exact total score from `embedding-lab grade`."""
    event: str
    """The event kind the report must list for this submission."""


ATTACKS = [Attack(name, FULL - 1, "sandbox") for name in CASES_SOURCE if name != "symlink_to_gradebook"]
ATTACKS.append(Attack("symlink_to_gradebook", FULL - 1, "repair"))


def attack_source(name: str, **values: str) -> str:
    source = CASES_SOURCE[name]
    for key, value in values.items():
        source = source.replace("{" + key + "}", value)
    return source


def attack_notebook(release, name: str, **values: str) -> nbformat.NotebookNode:
    nb = copy.deepcopy(wrong(release))
    nb.cells.insert(_index(nb, "one_hot") + 1, nbformat.v4.new_code_cell(attack_source(name, **values)))
    return nb


def write_attacks(course_dir: Path, release, names, values: dict[str, str]) -> None:
    """Write each named attack as a submission, its template filled with ``values``."""
    for name in names:
        write_submission(course_dir, name, "a1_lookup", attack_notebook(release, name, tag=name, **values))
        if name == "symlink_to_gradebook":
            os.symlink(values["gradebook"], course_dir / "submitted" / name / "a1_lookup" / "scores.db")
