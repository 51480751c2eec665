"""nbgrader's own commands and formgrader work unchanged on a course made by `embedding-lab init`."""
from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from autograder.demo_submissions import DEMO_STUDENTS

pytestmark = [pytest.mark.slow]
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, env=ENV, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory) -> Path:
    course = tmp_path_factory.mktemp("stock") / "course"
    subprocess.run([str(BIN / "embedding-lab"), "init", str(course), "--assignment", "a1_lookup"],
                   env=ENV, check=True, capture_output=True)
    nbgrader(course, "generate_assignment", "a1_lookup")
    release = course / "release" / "a1_lookup" / "a1_lookup.ipynb"
    students = {s.id: s for s in DEMO_STUDENTS}
    for sid in ("alice", "bob"):
        students[sid].submit(course, "a1_lookup", release)
        nbgrader(course, "db", "student", "add", sid)
    autograde = nbgrader(course, "autograde", "a1_lookup")
    (course / "autograde.log").write_text(autograde.stdout + autograde.stderr)
    nbgrader(course, "generate_feedback", "a1_lookup")
    nbgrader(course, "export", "--to", "grades.csv")
    return course


def _expected_bob_score(course: Path) -> float:
    from variants.demo_bob import EXPECTED_FAILURES

    nb = json.loads((course / "source" / "a1_lookup" / "a1_lookup.ipynb").read_text())
    points = {c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nbgrader"].get("points", 0)
              for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")}
    return sum(points.values()) - sum(points[g] for g in EXPECTED_FAILURES["a1_lookup"])


def test_stock_cli_autogrades_exports_and_gives_feedback(graded_course):
    rows = {r["student_id"]: r for r in csv.DictReader((graded_course / "grades.csv").open())}
    assert float(rows["alice"]["score"]) == float(rows["alice"]["max_score"]) > 0
    assert float(rows["bob"]["score"]) == _expected_bob_score(graded_course)
    for sid in ("alice", "bob"):
        assert (graded_course / "feedback" / sid / "a1_lookup" / "a1_lookup.html").is_file()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_formgrader_lists_the_assignment_and_its_scores(graded_course):
    port, token = _free_port(), "embedding-lab-test"
    server = subprocess.Popen(
        [str(BIN / "jupyter"), "server", "--no-browser", "--allow-root", f"--port={port}", "--ip=127.0.0.1",
         f"--ServerApp.root_dir={graded_course}", f"--IdentityProvider.token={token}"],
        cwd=graded_course, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def get(path: str):
            req = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                         headers={"Authorization": f"token {token}"})
            with urllib.request.urlopen(req, timeout=10) as resp:
                return json.loads(resp.read())

        deadline = time.monotonic() + 60
        while True:
            try:
                assignments = get("/formgrader/api/assignments")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.5)
        (a1,) = [a for a in assignments if a["name"] == "a1_lookup"]
        assert a1["num_submissions"] == 2
        submissions = {s["student"]: s for s in get("/formgrader/api/submissions/a1_lookup")}
        assert submissions["alice"]["score"] == submissions["alice"]["max_score"] > 0
        assert submissions["bob"]["score"] == _expected_bob_score(graded_course)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_stock_autograde_restores_hidden_tests_without_a_warning_per_cell(graded_course):
    log = (graded_course / "autograde.log").read_text()
    assert "has changed" not in log, log
    # The hidden tests did run: bob's score above is below the maximum, and here they are.
    autograded = json.loads((graded_course / "autograded" / "bob" / "a1_lookup" / "a1_lookup.ipynb").read_text())
    assert sum("run_check(" in "".join(c["source"]) for c in autograded["cells"]) > 20


def test_stock_feedback_shows_worded_messages_wrapped_without_paths_or_widget_reprs(graded_course):
    import html
    import re

    page = html.unescape(re.sub(r"<[^>]+>", "", (graded_course / "feedback" / "bob" / "a1_lookup" /
                                                 "a1_lookup.html").read_text()))
    assert "AssertionError: one_hot([-1], 5) should raise ValueError" in page
    assert "autograder/checks" not in page and "Cell In[" not in page and "site-packages" not in page
    assert "children=(" not in page                                # no widget's raw repr
    assert "BEGIN HIDDEN TESTS" not in page and "run_check(" not in page  # hidden tests stay hidden
    failures = [line for line in page.splitlines() if "AssertionError" in line]
    assert failures and all(len(line) <= 110 for line in failures)  # wrapped, not one long line
