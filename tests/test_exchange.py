"""The whole course cycle through nbgrader's exchange, with two real student accounts.

As the README's "The exchange" section says: the instructor's course comes from
``embedding-lab init --exchange DIR``; each student's ``~/.jupyter/nbgrader_config.py``
names the course and the exchange; student ids are the accounts' login names.
release_assignment -> fetch_assignment (two students) -> validate -> submit -> collect
-> ``embedding-lab grade`` -> generate_feedback -> release_feedback -> fetch_feedback,
and each student sees only their own feedback.
"""
from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import nbformat
import pytest

from autograder.demo_submissions import DEMO_STUDENTS
from variants.demo_bob import EXPECTED_FAILURES as BOB_FAILS
from local_users import home, local_users, run_as
from student_env import shared_student_env

pytestmark = [pytest.mark.slow]
REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
STUDENT_CONFIG = re.compile(r"```python\n( *# ~/.jupyter/nbgrader_config.py\n.*?) *```", re.S)


def instructor(course: Path, *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(BIN / args[0]), *args[1:]], cwd=course, env=ENV, capture_output=True, text=True)
    assert proc.returncode == 0, f"{' '.join(args)}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def student(account: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """A command in the student's own environment: the README's student install, nothing of the instructor's."""
    bin_ = STUDENT_ENV["venv"] / "bin"
    return run_as(account, str(bin_ / args[0]), *args[1:], env={"PATH": f"{bin_}:/usr/bin:/bin"}, check=check)


STUDENT_ENV: dict = {}


def readme_student_config(exchange: Path) -> str:
    """The student-side config the README gives, with this test's exchange folder."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    config = textwrap.dedent(STUDENT_CONFIG.search(text).group(1))
    assert 'c.CourseDirectory.course_id = "embedding-lab"' in config, config
    return config.replace("/srv/nbgrader/exchange", str(exchange))


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    STUDENT_ENV["venv"] = shared_student_env(tmp_path_factory.mktemp("student-env"))
    # Not pytest's tmp_path: that is private to root, and the students must reach the exchange.
    top = Path(tempfile.mkdtemp(prefix="el-exchange-test-"))
    top.chmod(0o755)
    exchange = top / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)  # nbgrader's requirement: every user writes into the exchange
    course = top / "course"
    try:
        with local_users("alice", "bob", tag="ex") as accounts:
            yield run_cycle(course, exchange, accounts)
    finally:
        shutil.rmtree(top, ignore_errors=True)


def run_cycle(course: Path, exchange: Path, accounts: dict[str, str]) -> dict:
    out: dict = {"accounts": accounts, "course": course}
    instructor(REPO, "embedding-lab", "init", "--course-dir", str(course), "--exchange", str(exchange),
               "--assignment", "a1_lookup")
    instructor(course, "nbgrader", "generate_assignment", "a1_lookup")
    instructor(course, "nbgrader", "release_assignment", "a1_lookup")
    demo = {s.id: s for s in DEMO_STUDENTS}
    for name, account in accounts.items():
        config_dir = home(account) / ".jupyter"
        config_dir.mkdir(exist_ok=True)
        (config_dir / "nbgrader_config.py").write_text(readme_student_config(exchange))
        shutil.chown(config_dir, account, account)
        shutil.chown(config_dir / "nbgrader_config.py", account, account)
        listed = student(account, "nbgrader", "list")
        out[f"{name}_list"] = listed.stdout + listed.stderr  # nbgrader logs the list
        student(account, "nbgrader", "fetch_assignment", "a1_lookup")
        notebook = home(account) / "a1_lookup" / "a1_lookup.ipynb"
        out[f"{name}_validate_untouched"] = student(account, "nbgrader", "validate", "a1_lookup/a1_lookup.ipynb",
                                                    check=False)
        # The student works: alice writes the reference solutions, bob his usual mistakes.
        scratch = Path(tempfile.mkdtemp())
        shutil.copyfile(demo[name].submit(scratch, "a1_lookup", notebook), notebook)  # keeps the owner
        shutil.rmtree(scratch)
        out[f"{name}_validate"] = student(account, "nbgrader", "validate", "a1_lookup/a1_lookup.ipynb", check=False)
        student(account, "nbgrader", "submit", "a1_lookup")
    instructor(course, "nbgrader", "collect", "a1_lookup")
    out["grade"] = instructor(course, "embedding-lab", "grade", "a1_lookup", "--no-progress")
    instructor(course, "nbgrader", "generate_feedback", "a1_lookup")
    instructor(course, "nbgrader", "release_feedback", "a1_lookup")
    for name, account in accounts.items():
        student(account, "nbgrader", "fetch_feedback", "a1_lookup")
        out[f"{name}_feedback"] = sorted((home(account) / "a1_lookup" / "feedback").rglob("*.html"))
    # bob asks for alice's feedback by her id: the exchange has none he can open
    out["bob_asks_for_alice"] = student(accounts["bob"], "nbgrader", "fetch_feedback", "a1_lookup",
                                        f"--student={accounts['alice']}", check=False)
    return out


def test_students_see_the_released_assignment(cycle):
    for name in ("alice", "bob"):
        assert "embedding-lab a1_lookup" in cycle[f"{name}_list"], cycle[f"{name}_list"]


def test_validate_tells_each_student_how_their_notebook_does(cycle):
    # the fetched notebook, untouched: its stubs fail the visible tests, and validate says which
    for name in ("alice", "bob"):
        untouched = cycle[f"{name}_validate_untouched"].stdout
        assert "VALIDATION FAILED" in untouched and "NotImplementedError" in untouched, untouched[-2000:]
    # after their work both pass the visible tests: bob's mistakes are caught by the hidden ones
    for name in ("alice", "bob"):
        assert "Success! Your notebook passes all the tests." in cycle[f"{name}_validate"].stdout


def test_collect_files_submissions_under_the_students_login_names(cycle):
    submitted = sorted(p.name for p in (cycle["course"] / "submitted").iterdir())
    assert submitted == sorted(cycle["accounts"].values())
    for account in submitted:
        assert (cycle["course"] / "submitted" / account / "a1_lookup" / "a1_lookup.ipynb").is_file()


def _a1_scores(course: Path) -> tuple[float, float]:
    """(full marks, bob's expected score) for a1."""
    nb = nbformat.read(course / "source" / "a1_lookup" / "a1_lookup.ipynb", as_version=4)
    points = {c.metadata.nbgrader.grade_id: c.metadata.nbgrader.points
              for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")}
    full = sum(points.values())
    return full, full - sum(points[g] for g in BOB_FAILS["a1_lookup"])


def test_grade_stores_and_prints_each_students_score(cycle):
    text = cycle["grade"].stdout
    full, bob = _a1_scores(cycle["course"])
    assert bob < full
    alice, bob_account = cycle["accounts"]["alice"], cycle["accounts"]["bob"]
    assert re.search(rf"{alice}\s+{full:g}/{full:g}", text), text
    assert re.search(rf"{bob_account}\s+{bob:g}/{full:g}", text), text


def test_each_student_fetches_only_their_own_feedback(cycle):
    full, bob_score = _a1_scores(cycle["course"])
    (alice,), (bob,) = cycle["alice_feedback"], cycle["bob_feedback"]
    assert alice.name == bob.name == "a1_lookup.html"
    assert alice.owner() == cycle["accounts"]["alice"] and bob.owner() == cycle["accounts"]["bob"]
    alice_html, bob_html = alice.read_text(), bob.read_text()
    assert f"a1_lookup (Score: {full:.1f} / {full:.1f})" in alice_html
    assert f"a1_lookup (Score: {bob_score:.1f} / {full:.1f})" in bob_html
    assert "should raise ValueError" in bob_html and "should raise ValueError" not in alice_html
    # bob asking for alice's feedback by her id (after the cycle) still gets nothing of hers:
    # feedback is found through the submission secret that only alice's own submit kept
    files = list((home(cycle["accounts"]["bob"]) / "a1_lookup" / "feedback").rglob("*.html"))
    assert files and all(f"(Score: {bob_score:.1f} / {full:.1f})" in f.read_text() for f in files), files


def test_exchange_permissions_keep_students_out_of_each_others_submissions(cycle):
    inbound = cycle["course"].parent / "exchange" / "embedding-lab" / "inbound"
    mode = stat.S_IMODE(inbound.stat().st_mode)
    assert mode & stat.S_IWOTH and not mode & stat.S_IROTH, oct(mode)  # others write into inbound, never list it
