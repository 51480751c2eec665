"""Odd submission data never stops a run: each gets a clear line, the others are graded, nothing is lost."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from adversarial import FULL, filled, wrong
from autograder.grading import Limits, grade_assignment
from autograder.grading.gradebook_writer import GradingSetupError
from autograder.submissions import write_submission
from grading_course import a1_totals, copy_course

pytestmark = [pytest.mark.slow]
BIN = Path(sys.executable).parent
LIMITS = Limits(timeout=10, memory_mb=512)


def folder(course: Path, student: str) -> Path:
    return course / "submitted" / student / "a1_lookup"


@pytest.fixture(scope="module")
def odd(a1_course, tmp_path_factory):
    """A run over honest submissions mixed with every kind of odd data."""
    course, release = a1_course
    course = copy_course(course, tmp_path_factory.mktemp("odd") / "course")
    for student in ("alice", "zed"):  # sorted before and after every odd one
        write_submission(course, student, "a1_lookup", filled(release))
    write_submission(course, "wrong", "a1_lookup", wrong(release))
    # timestamps nbgrader cannot parse or read
    write_submission(course, "stamp_garbage", "a1_lookup", filled(release))
    (folder(course, "stamp_garbage") / "timestamp.txt").write_text("the day before yesterday, around noon")
    write_submission(course, "stamp_binary", "a1_lookup", filled(release))
    (folder(course, "stamp_binary") / "timestamp.txt").write_bytes(b"\xff\xfe\x00\x81 not text")
    write_submission(course, "stamp_folder", "a1_lookup", filled(release))
    (folder(course, "stamp_folder") / "timestamp.txt").unlink()
    (folder(course, "stamp_folder") / "timestamp.txt").mkdir()
    # files that are not text, not regular, or lead out of the submission
    write_submission(course, "odd_files", "a1_lookup", filled(release))
    extra = folder(course, "odd_files")
    (extra / "picture.png").write_bytes(bytes(range(256)) * 64)
    os.mkfifo(extra / "pipe")
    os.symlink("/dev/zero", extra / "zeros.bin")
    os.symlink(str(course / "gradebook.db"), extra / "gradebook.db")
    os.symlink("picture.png", extra / "same_picture.png")  # inside the submission: kept
    (course / "source" / "a1_lookup" / "data.bin").write_bytes(b"\x00\xff" * 1000)  # binary source file
    # a notebook of 1 GiB (sparse: costs no disk)
    write_submission(course, "huge_notebook", "a1_lookup", raw=b"")
    with open(folder(course, "huge_notebook") / "a1_lookup.ipynb", "wb") as f:
        f.truncate(2**30)
    # the notebook is a symlink to another student's
    write_submission(course, "linked_notebook", "a1_lookup", raw=b"")
    (folder(course, "linked_notebook") / "a1_lookup.ipynb").unlink()
    os.symlink(folder(course, "alice") / "a1_lookup.ipynb", folder(course, "linked_notebook") / "a1_lookup.ipynb")
    # student ids nbgrader would glob or split
    for sid in ("bad[id]", "a,b", "ü_student"):
        write_submission(course, sid, "a1_lookup", filled(release))
    gradebook = (course / "gradebook.db").read_bytes()
    run = grade_assignment(course, "a1_lookup", limits=LIMITS, jobs=2)
    return course, run, gradebook


def test_the_honest_submissions_are_graded_exactly(odd):
    course, run, _ = odd
    got = a1_totals(course)
    assert got["alice"] == got["zed"] == got["odd_files"] == got["ü_student"] == FULL
    assert got["wrong"] == FULL - 1


@pytest.mark.parametrize("student, words", [
    ("stamp_garbage", "timestamp.txt does not hold a valid date"),
    ("stamp_binary", "timestamp.txt could not be read as a date"),
    ("stamp_folder", "timestamp.txt is not a regular file"),
    ("bad[id]", "is not a plain name"),
    ("a,b", "is not a plain name"),
])
def test_a_submission_that_cannot_be_graded_gets_one_clear_line(odd, student, words):
    course, run, _ = odd
    lines = [problem for sid, problem in run.failed if sid == student]
    assert len(lines) == 1 and words in lines[0], run.failed
    assert student not in a1_totals(course)
    assert not (course / "autograded" / student).exists()


def test_nothing_else_failed(odd):
    _, run, _ = odd
    assert {sid for sid, _ in run.failed} == {"stamp_garbage", "stamp_binary", "stamp_folder", "bad[id]", "a,b"}


@pytest.mark.parametrize("student, words", [
    ("huge_notebook", "the notebook is too large to read (1024 MiB); graded as empty"),
    ("linked_notebook", "the notebook is a link; not followed; graded as empty"),
    ("odd_files", "pipe is not a regular file; left out"),
    ("odd_files", "zeros.bin is a link to a place outside the submission; left out"),
    ("odd_files", "gradebook.db is a link to a place outside the submission; left out"),
])
def test_odd_files_are_left_out_with_a_line(odd, student, words):
    _, run, _ = odd
    details = [e.detail for g in run.graded if g.student == student for e in g.events]
    assert any(words in d for d in details), details


def test_unreadable_notebooks_score_zero_and_others_are_untouched(odd):
    course, _, _ = odd
    got = a1_totals(course)
    assert got["huge_notebook"] == got["linked_notebook"] == 0.0


def test_links_are_never_followed_into_autograded(odd):
    course, _, _ = odd
    out = course / "autograded" / "odd_files" / "a1_lookup"
    assert (out / "picture.png").read_bytes() == (folder(course, "odd_files") / "picture.png").read_bytes()
    assert (out / "same_picture.png").is_symlink()
    for name in ("pipe", "zeros.bin", "gradebook.db"):
        assert not (out / name).exists() and not (out / name).is_symlink()
    assert (out / "data.bin").read_bytes() == b"\x00\xff" * 1000  # the source's binary file, as nbgrader copies it


def test_refused_submissions_are_kept_as_they_were(odd):
    course, _, _ = odd
    assert (folder(course, "stamp_garbage") / "timestamp.txt").read_text() == "the day before yesterday, around noon"
    assert (folder(course, "huge_notebook") / "a1_lookup.ipynb").stat().st_size == 2**30


def test_a_gradebook_locked_for_a_moment_waits(a1_course, tmp_path):
    course, release = a1_course
    course = copy_course(course, tmp_path / "course")
    write_submission(course, "alice", "a1_lookup", filled(release))
    lock = sqlite3.connect(course / "gradebook.db", check_same_thread=False)
    lock.execute("BEGIN EXCLUSIVE")
    threading.Timer(2.0, lock.rollback).start()  # another program (the formgrader) holds it briefly
    run = grade_assignment(course, "a1_lookup", limits=LIMITS, jobs=1)
    lock.close()
    assert run.failed == [] and a1_totals(course) == {"alice": FULL}


def test_a_gradebook_locked_for_good_is_a_clear_error(a1_course, tmp_path):
    course, release = a1_course
    course = copy_course(course, tmp_path / "course")
    write_submission(course, "alice", "a1_lookup", filled(release))
    lock = sqlite3.connect(course / "gradebook.db")
    lock.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(GradingSetupError, match="gradebook is locked"):
            grade_assignment(course, "a1_lookup", limits=LIMITS, jobs=1)
    finally:
        lock.rollback()
        lock.close()
    assert a1_totals(course) == {}  # and nothing half-written


def test_grade_refuses_without_namespaces_unless_told(a1_course, tmp_path):
    """Where bubblewrap is missing, one clear line and no grading; --isolation none grades and says so."""
    course, release = a1_course
    course = copy_course(course, tmp_path / "course")
    write_submission(course, "alice", "a1_lookup", filled(release))
    env = {**os.environ, "PATH": str(BIN)}  # no /usr/bin: no bwrap
    refused = subprocess.run([str(BIN / "embedding-lab"), "grade", "a1_lookup", "--no-progress"], cwd=course,
                             env=env, capture_output=True, text=True)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "embedding-lab grade: refusing to grade untrusted code: bubblewrap (bwrap) is not installed; install it "
        "(Debian: apt-get install bubblewrap) or pass --isolation none for trusted submissions"]
    assert a1_totals(course) == {}
    trusted = subprocess.run([str(BIN / "embedding-lab"), "grade", "a1_lookup", "--no-progress", "--isolation",
                              "none"], cwd=course, env=env, capture_output=True, text=True)
    assert trusted.returncode == 0, trusted.stderr
    assert "isolation: NO operating-system boundary (--isolation none)" in trusted.stdout
    assert a1_totals(course) == {"alice": FULL}
