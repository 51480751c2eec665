"""OS-level attacks on `embedding-lab grade`: exact scores, and nothing outside the submission changes.

Runs where the namespace sandbox works (CI: root, namespaces allowed); elsewhere it is
skipped with the reason, except under CI, where that is a failure.
"""
from __future__ import annotations

import ast
import hashlib
import socket
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from adversarial import FULL, filled
from autograder.grading import Limits, grade_assignment
from autograder.grading.server import warm_server
from autograder.submissions import write_submission
from grading_course import a1_totals, copy_course
from os_attacks import ATTACKS, CASES_SOURCE, attack_source, write_attacks

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("namespaces_available")]
REPO = Path(__file__).resolve().parents[2]
BY_NAME = {a.student: a for a in ATTACKS}
HONEST = "honest_correct"


class Listener:
    """A TCP and UDP server on 127.0.0.1 that records whatever reaches it."""

    def __init__(self):
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.port = self.tcp.getsockname()[1]
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", self.port))
        self.received: list[str] = []
        self.tcp.settimeout(0.2)
        self.udp.settimeout(0.2)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, address = self.tcp.accept()
                self.received.append(f"tcp from {address}")
                conn.close()
            except OSError:
                pass
            try:
                data, address = self.udp.recvfrom(100)
                self.received.append(f"udp {data!r} from {address}")
            except OSError:
                pass

    def close(self):
        self.stop.set()
        self.thread.join(5)
        self.tcp.close()
        self.udp.close()


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def sandbox_processes(uids: range) -> list[str]:
    """Processes on this machine running as one of ``uids``, a warm server's sandbox uids.

    Only this test's server's: other pytest-xdist workers grade side by side, and their
    sandboxes are alive while they grade."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        uid = int(next(line.split()[1] for line in status.splitlines() if line.startswith("Uid:")))
        state = next(line.split()[1] for line in status.splitlines() if line.startswith("State:"))
        if state != "Z" and uid in uids:
            found.append(f"{entry.name} uid {uid}: {cmdline}")
    return found


@pytest.fixture(scope="module")
def attacked(a1_course, tmp_path_factory):
    course, release = a1_course
    course = copy_course(course, tmp_path_factory.mktemp("os") / "course")
    markers = tmp_path_factory.mktemp("markers")
    listener = Listener()
    write_submission(course, HONEST, "a1_lookup", filled(release))
    values = dict(gradebook=str(course / "gradebook.db"), course=str(course), repo=str(REPO),
                  port=str(listener.port), markers=str(markers))
    write_attacks(course, release, CASES_SOURCE, values)
    before = {"source": tree_digest(course / "source"), "submitted": tree_digest(course / "submitted")}
    try:
        run = grade_assignment(course, "a1_lookup", limits=Limits(timeout=10, memory_mb=512), jobs=2)
        time.sleep(2)  # a process that outlived its grading would strike now
        left = sandbox_processes(warm_server().uids)
    finally:
        listener.close()
    yield dict(course=course, run=run, markers=markers, listener=listener, before=before, left=left)


@pytest.mark.parametrize("name", sorted(CASES_SOURCE))
def test_attack_cell_is_valid_python(name):
    """A cell that did not even compile would score 30/31 for the wrong reason."""
    source = attack_source(name, gradebook="/g.db", course="/c", repo="/r", port="1", markers="/m", tag=name)
    ast.parse(source)
    assert "{" not in source.replace("{}", ""), "a template value was left unfilled"


@pytest.mark.parametrize("student", sorted(BY_NAME))
def test_exact_score(attacked, student):
    assert a1_totals(attacked["course"])[student] == BY_NAME[student].expected


@pytest.mark.parametrize("student", sorted(BY_NAME))
def test_attack_is_reported(attacked, student):
    result = next(g for g in attacked["run"].graded if g.student == student)
    assert BY_NAME[student].event in {e.kind for e in result.events}, result.events


def test_honest_submission_keeps_its_score_and_reports_nothing(attacked):
    assert a1_totals(attacked["course"])[HONEST] == FULL
    honest = next(g for g in attacked["run"].graded if g.student == HONEST)
    assert honest.events == []


def test_every_submission_was_graded(attacked):
    run = attacked["run"]
    assert run.failed == [] and run.isolation == "namespaces"
    assert sorted(g.student for g in run.graded) == sorted([*BY_NAME, HONEST])


def test_gradebook_was_written_only_by_the_grader(attacked):
    db = sqlite3.connect(attacked["course"] / "gradebook.db")
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    top = db.execute("SELECT max(auto_score) FROM grade").fetchone()[0]
    db.close()
    assert "pwned" not in tables and top <= 5


def test_no_process_outlives_its_grading(attacked):
    assert attacked["left"] == []


def test_nothing_reached_the_network(attacked):
    assert attacked["listener"].received == []


def test_no_file_outside_the_submission_changed(attacked):
    course = attacked["course"]
    assert list(attacked["markers"].iterdir()) == []
    assert tree_digest(course / "source") == attacked["before"]["source"]
    assert tree_digest(course / "submitted") == attacked["before"]["submitted"]
    assert not (course / "autograded" / "symlink_to_gradebook" / "a1_lookup" / "scores.db").exists()
    assert not list((course / "autograded").rglob("big.bin"))


def test_the_attacks_work_without_the_os_boundary(a1_course, tmp_path):
    """Graded with --isolation none, the same cells do copy a peer's solution and write the gradebook."""
    course, release = a1_course
    course = copy_course(course, tmp_path / "course")
    write_submission(course, HONEST, "a1_lookup", filled(release))
    values = dict(gradebook=str(course / "gradebook.db"), course=str(course), repo=str(REPO), port="9",
                  markers=str(tmp_path))
    write_attacks(course, release, ["peer_notebook", "gradebook_subprocess"], values)
    grade_assignment(course, "a1_lookup", limits=Limits(timeout=10, memory_mb=512, isolation="none"), jobs=1)
    assert a1_totals(course)["peer_notebook"] == FULL  # the copied solution earned the point back
    db = sqlite3.connect(course / "gradebook.db")
    assert "pwned" in {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    db.close()
