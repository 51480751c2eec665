"""The second round of attacks (issue 22): each class refused with its exact outcome, and shown real.

One graded run holds most attacks next to honest submissions; two-submission collusion and the
per-submission time budget get runs of their own. Each class is also shown to work where its
guard is absent: under ``--isolation none`` (the OS boundary's part), with stock ``nbgrader
autograde`` (links, output, timestamps) or with the one guard turned off in this process.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import nbformat
import pytest

from adversarial import FULL, filled, wrong
from autograder.grading import Limits, grade_assignment
from autograder.grading import channel, processes, report, worker
from autograder.grading.budget import Budgets
from autograder.grading.files import remove_tree
from autograder.grading.results import Graded, Step
from autograder.submissions import write_submission
from boundary_attacks import (
    ATTACKS, CHANNEL, DEEP_JSON, FAKE_VALUE_ERROR, FORKED_ANSWERER, LINKS_LEFT_OUT, MEMORY_FORK, READS_CHECKS, REFUSED,
    after_one_hot, busy_processes, chained_links, collusion, output_flood, sleepers_then_crashers, write_attacks,
)
from grading_course import a1_totals, copy_course

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("namespaces_available")]
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
BY_NAME = {a.student: a for a in ATTACKS}
HONEST = ("honest_correct", "honest_wrong", "zz_honest")
LIMITS = Limits(timeout=10, memory_mb=512)


def instructor_files(course: Path) -> dict[str, tuple[int, bytes]]:
    """(mode, content) of the files the links aim at (the gradebook's mode only: grading writes it)."""
    paths = ["gradebook.db", "source/a1_lookup/a1_lookup.ipynb", "nbgrader_config.py", "secret.txt",
             "submitted/honest_correct/a1_lookup/a1_lookup.ipynb"]
    return {p: (stat.S_IMODE(os.stat(course / p).st_mode), b"" if p == "gradebook.db" else (course / p).read_bytes())
            for p in paths}


@pytest.fixture(scope="module")
def attacked(a1_course, tmp_path_factory):
    course, release = a1_course
    course = copy_course(course, tmp_path_factory.mktemp("boundary") / "course")
    (course / "secret.txt").write_text("the instructor's secret\n")
    os.chmod(course / "secret.txt", 0o600)
    write_submission(course, "honest_correct", "a1_lookup", filled(release))
    write_submission(course, "honest_wrong", "a1_lookup", wrong(release))
    write_submission(course, "zz_honest", "a1_lookup", filled(release))
    write_attacks(course, release)
    for student, (build, _) in REFUSED.items():
        build(course, release, student)
    before = instructor_files(course)
    run = grade_assignment(course, "a1_lookup", limits=LIMITS, jobs=2)
    feedback = subprocess.run([str(BIN / "nbgrader"), "generate_feedback", "a1_lookup"], cwd=course, env=ENV,
                              capture_output=True, text=True)
    forced = grade_assignment(course, "a1_lookup", student="deep_folder", force=True, limits=LIMITS, jobs=1)
    yield dict(course=course, run=run, before=before, feedback=feedback, forced=forced)
    remove_tree(course / "submitted" / "deep_folder")  # pytest's own clean-up of old runs would recurse 1,100 deep


def result(run, student: str) -> Graded:
    return next(g for g in run.graded if g.student == student)


def cell_after(course: Path, student: str, grade_id: str) -> str:
    """The text of the outputs of the cell right after the cell ``grade_id`` in the autograded notebook."""
    nb = nbformat.read(course / "autograded" / student / "a1_lookup" / "a1_lookup.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    return "".join(o.get("text", "") for o in nb.cells[at + 1].get("outputs", []))


# -- every class: the exact outcome ------------------------------------------------

@pytest.mark.parametrize("student", sorted(BY_NAME))
def test_exact_score(attacked, student):
    assert a1_totals(attacked["course"])[student] == BY_NAME[student].expected


@pytest.mark.parametrize("student", sorted(BY_NAME))
def test_each_attack_is_reported_in_its_words(attacked, student):
    attack, events = BY_NAME[student], result(attacked["run"], student).events
    assert set(attack.events) <= {e.kind for e in events}, events
    for words in attack.words:
        assert any(words in e.detail for e in events), (words, events)


@pytest.mark.parametrize("student", sorted(s for s, a in BY_NAME.items() if a.outputs))
def test_what_the_attack_saw(attacked, student):
    for where, text in BY_NAME[student].outputs.items():
        assert cell_after(attacked["course"], student, where.removeprefix("after ")).strip() == text


def test_honest_submissions_are_exact_and_unremarkable(attacked):
    totals = a1_totals(attacked["course"])
    assert (totals["honest_correct"], totals["honest_wrong"], totals["zz_honest"]) == (FULL, FULL - 1, FULL)
    for student in HONEST:
        assert result(attacked["run"], student).events == []


def test_every_submission_is_stored_or_refused_in_one_line(attacked):
    run = attacked["run"]
    assert sorted(g.student for g in run.graded) == sorted([*BY_NAME, *HONEST])
    assert run.failed == [(student, words) for student, (_, words) in REFUSED.items()]
    assert "huge_timestamp" not in a1_totals(attacked["course"])


# 1. forged verdicts

def test_a_forked_child_cannot_learn_the_nonce_so_its_cell_times_out(attacked):
    graded = result(attacked["run"], "forked_answerer")
    assert graded.restarts == 1  # the loop stayed stopped: the cell timed out, nothing answered for it
    assert graded.verdicts["one_hot_dtype"].passed is False


def test_a_loop_stopped_by_a_process_left_running_is_continued():
    """A process a cell left behind stops the loop while it waits: the next command ends that process,
    continues the loop and is answered."""
    box = worker.SandboxProcess(LIMITS)
    try:
        box.request(10, op="exec", filename="<c>", code=(
            "import os, signal, time\n"
            "if os.fork() == 0:\n"
            "    time.sleep(0.3)\n"
            "    os.kill(os.getppid(), signal.SIGSTOP)\n"
            "    time.sleep(60)\n"))
        time.sleep(1.5)
        assert processes._stat(box.channel.loop_pid)[0] == "T"  # stopped, waiting for a command
        assert box.request(10, op="exec", filename="<c>", code="6 * 7")["result"] == "42"
        assert box.ended_processes == 1
    finally:
        box.close()


def test_a_look_alike_exception_class_is_not_the_real_one(attacked):
    verdicts = result(attacked["run"], "fake_value_error").verdicts
    failed = sorted(g for g, v in verdicts.items() if not v.passed)
    assert failed == ["one_hot_index_range", "one_hot_vocab_size"]
    assert "but raised __main__.one_hot.<locals>.ValueError (" in verdicts["one_hot_index_range"].message


def test_a_child_that_knows_the_nonce_still_cannot_answer(monkeypatch):
    """The sender check alone: the cell is told the nonce (here, by the test) and forks a child that
    answers with it while the loop is busy. Refused; with the kernel's sender ignored, accepted."""
    nonce = "f" * 32
    monkeypatch.setattr(worker.secrets, "token_hex", lambda n: nonce)
    forge = CHANNEL + (
        "import os, json, struct, time\n"
        "if os.fork() == 0:\n"
        f"    _data = json.dumps({{'nonce': {nonce!r}, 'stdout': 'forged', 'stderr': '', 'result': \"'forged'\",\n"
        "                         'error': None, 'refused': [], 'noticed': []}).encode()\n"
        "    _channel().sendall(struct.pack('!Q', len(_data)) + _data)\n"
        "    os._exit(0)\n"
        "time.sleep(2)\n'honest'\n")

    def answer() -> Graded:
        graded = Graded("s", "a1_lookup", "a1_lookup")
        worker.run_steps([Step(0, "exec", code=forge)], Limits(timeout=10), graded)
        return graded

    refused = answer()
    assert refused.outputs[0].result is None and [e.kind for e in refused.events] == ["tampering"]
    assert "a process other than the sandbox's command loop" in refused.events[0].detail
    monkeypatch.setattr(channel.GraderEnd, "receive", _receive_from_anyone)
    assert answer().outputs[0].result == "'forged'"


@pytest.mark.parametrize("guarded", [True, False])
def test_a_forked_child_that_knows_the_nonce(a1_course, tmp_path, monkeypatch, guarded):
    """Handed every nonce (as reading the loop's memory once did), the forked answerer is still refused;
    with the sender check and the ending of left processes both off, it gets its point back."""
    course, release = a1_course
    course = copy_course(course, tmp_path / "course")
    nonce = "0123456789abcdef" * 2
    monkeypatch.setattr(worker.secrets, "token_hex", lambda n: nonce)
    write_submission(course, "forked_answerer", "a1_lookup",
                     after_one_hot(FORKED_ANSWERER.replace("{nonce}", nonce))(release))
    if not guarded:
        monkeypatch.setattr(processes, "end_processes", lambda root, keep: 0)
        monkeypatch.setattr(channel.GraderEnd, "receive", _receive_from_anyone)
    run = grade_assignment(course, "a1_lookup", limits=LIMITS, jobs=1)
    assert a1_totals(course)["forked_answerer"] == (FULL - 1 if guarded else FULL)
    if guarded:
        assert any("a process other than the sandbox's command loop" in e.detail for e in run.graded[0].events)


def _receive_from_anyone(self, timeout):
    data, _ = self._message(timeout)
    return channel._parse(data)


def test_naive_class_names_would_have_passed_the_look_alike():
    """What the probe recorded before (the names of the exception's classes as they come) passes the
    judge for the look-alike ValueError; what it records now does not."""
    from autograder.checks import _probe, get_check, judge, probe_namespace, reference_steps, verdict_for

    namespace: dict = {}
    exec(FAKE_VALUE_ERROR, namespace)
    check = get_check("a1_lookup.one_hot_vocab_size")
    assert not verdict_for(check, namespace).passed
    defaults = _probe.Probe._invoke.__defaults__
    try:
        _probe.Probe._invoke.__defaults__ = (defaults[0], _names_as_they_come)
        assert judge(probe_namespace(check, namespace), reference_steps(check)).passed
    finally:
        _probe.Probe._invoke.__defaults__ = defaults


def _names_as_they_come(exc: BaseException) -> dict:
    return {"name": type(exc).__name__, "mro": [c.__name__ for c in type(exc).__mro__], "message": str(exc)}


# 2. links out of the submission

def test_links_never_reach_the_instructors_files(attacked):
    course = attacked["course"]
    assert instructor_files(course) == attacked["before"]  # modes and contents: nothing chmod-ed, nothing written
    out = course / "autograded" / "chained_links" / "a1_lookup"
    assert sorted(p.name for p in out.iterdir() if p.is_symlink()) == ["same.txt"]  # straight to its own file
    assert (out / "same.txt").read_text() == "my notes\n"
    for name in (*LINKS_LEFT_OUT, "C"):
        assert not os.path.lexists(out / name)
    assert attacked["feedback"].returncode == 0, attacked["feedback"].stderr
    feedback = course / "feedback" / "chained_links" / "a1_lookup"
    assert sorted(p.name for p in feedback.iterdir()) == ["a1_lookup.html", "notes.txt", "same.txt", "timestamp.txt"]


def test_links_are_real_for_stock_nbgrader(a1_course, tmp_path):
    """Stock nbgrader copies what the links lead to: the gradebook and a peer's notebook end up in the
    attacker's feedback."""
    course, release = a1_course
    course = copy_course(course, tmp_path / "course")
    (course / "secret.txt").write_text("the instructor's secret\n")
    write_submission(course, "honest_correct", "a1_lookup", filled(release))
    chained_links(course, release, "chained_links")
    for command in (["autograde", "a1_lookup"], ["generate_feedback", "a1_lookup"]):
        subprocess.run([str(BIN / "nbgrader"), *command], cwd=course, env=ENV, capture_output=True)
    leaked = course / "feedback" / "chained_links" / "a1_lookup"
    assert (leaked / "grades.db").read_bytes()[:16] == b"SQLite format 3\x00"
    assert (leaked / "secret.txt").read_text() == "the instructor's secret\n"


# 3. two submissions talk

@pytest.fixture(scope="module")
def colluded(a1_course, tmp_path_factory):
    course, release = a1_course
    course = copy_course(course, tmp_path_factory.mktemp("collusion") / "course")
    giver, taker = collusion(f"embedding-lab-collusion-{os.getpid()}", ptys=True)
    write_submission(course, "giver", "a1_lookup", giver(release))
    write_submission(course, "taker", "a1_lookup", taker(release))
    run = grade_assignment(course, "a1_lookup", limits=LIMITS, jobs=2)
    return course, run


def test_submissions_graded_side_by_side_cannot_talk(colluded):
    course, run = colluded
    assert a1_totals(course) == {"giver": FULL, "taker": FULL - 1}
    assert "took one_hot" not in cell_after(course, "taker", "one_hot")
    assert result(run, "giver").events == []
    taker = [e.detail for e in result(run, "taker").events if e.kind == "sandbox"]
    assert len(taker) == 1 and "looked for /tmp/embedding-lab-collusion-" in taker[0]


def test_submissions_talk_without_the_os_boundary(a1_course, tmp_path):
    course, release = a1_course
    course = copy_course(course, tmp_path / "course")
    tag = f"embedding-lab-collusion-none-{os.getpid()}"
    giver, taker = collusion(tag, ptys=False)  # not the host's terminals: they are other people's
    write_submission(course, "giver", "a1_lookup", giver(release))
    write_submission(course, "taker", "a1_lookup", taker(release))
    try:
        grade_assignment(course, "a1_lookup", limits=Limits(timeout=10, memory_mb=512, isolation="none"), jobs=2)
    finally:
        for place in (f"/tmp/{tag}.py", f"/dev/shm/{tag}.py"):
            Path(place).unlink(missing_ok=True)
    assert a1_totals(course) == {"giver": FULL, "taker": FULL}
    assert "took one_hot from the other submission" in cell_after(course, "taker", "one_hot")


def test_each_sandbox_has_its_own_terminals():
    """A terminal one sandbox opens is not in another's /dev/pts (one devpts instance each)."""
    first, second = worker.SandboxProcess(LIMITS), worker.SandboxProcess(LIMITS)
    try:
        opened = first.request(10, op="exec", filename="<c>",
                               code="import os\n_m, _s = os.openpty()\nsorted(os.listdir('/dev/pts'))")
        seen = second.request(10, op="exec", filename="<c>", code="import os\nsorted(os.listdir('/dev/pts'))")
    finally:
        first.close()
        second.close()
    assert opened["result"] == "['0', 'ptmx']" and seen["result"] == "['ptmx']"


# 4. the hidden checks

def test_the_hidden_checks_are_readable_without_the_os_boundary(a1_course, tmp_path):
    course, release = a1_course
    course = copy_course(course, tmp_path / "course")
    write_submission(course, "reads_checks", "a1_lookup", after_one_hot(READS_CHECKS)(release))
    grade_assignment(course, "a1_lookup", limits=Limits(timeout=10, memory_mb=512, isolation="none"), jobs=1)
    seen = cell_after(course, "reads_checks", "one_hot")
    assert int(re.search(r"check files read: (\d+)", seen).group(1)) >= 6, seen
    assert "check modules loaded: ['autograder.checks.a1_lookup']" in seen  # none: only its own is loaded


def test_no_other_assignments_check_reaches_the_feedback(attacked):
    html = (attacked["course"] / "feedback" / "reads_checks" / "a1_lookup" / "a1_lookup.html").read_text()
    assert "check files read: 0 bytes: 0" in html
    for other in ("a2_linear", "a3_similarity", "a4_training", "a5_pretrained"):
        assert f"autograder.checks.{other}" not in html


# 5. stopping or stalling the run

def test_a_deep_folder_is_cut_and_a_forced_regrade_works(attacked):
    forced = attacked["forced"]
    assert forced.failed == [] and [g.student for g in forced.graded] == ["deep_folder"]
    assert a1_totals(attacked["course"])["deep_folder"] == FULL
    copied = attacked["course"] / "autograded" / "deep_folder" / "a1_lookup"
    depth = max(len(p.relative_to(copied).parts) for p in copied.rglob("*"))
    assert depth <= 33


def test_deep_json_in_the_channel_raises_recursion_error_in_a_plain_parse():
    with pytest.raises(RecursionError):
        json.loads("[" * 100_000 + "]" * 100_000)
    assert "100_000" in DEEP_JSON


@pytest.fixture(scope="module")
def stalled(a1_course, tmp_path_factory):
    course, release = a1_course
    course = copy_course(course, tmp_path_factory.mktemp("stall") / "course")
    write_submission(course, "aa_stalls", "a1_lookup", sleepers_then_crashers(release))
    for student in ("zz_honest_1", "zz_honest_2"):
        write_submission(course, student, "a1_lookup", filled(release))
    run = grade_assignment(course, "a1_lookup", limits=Limits(timeout=2, total_seconds=8, memory_mb=512), jobs=2)
    return course, run


def test_a_slow_submission_stops_at_its_budget_and_holds_up_no_one(stalled):
    course, run = stalled
    assert a1_totals(course) == {"aa_stalls": 0.0, "zz_honest_1": FULL, "zz_honest_2": FULL}
    assert [g.student for g in run.graded][-1] == "aa_stalls"  # stored last though sorted first
    stalls = result(run, "aa_stalls")
    assert stalls.restarts <= 1
    assert any(e.kind == "timeout" and "used up its 8 s in all" in e.detail for e in stalls.events), stalls.events


def test_without_a_budget_every_restart_replays_the_sleeps(a1_course):
    """The same cells without a total: restarted the most times allowed, each restart re-running the sleeps."""
    _, release = a1_course
    nb = sleepers_then_crashers(release, sleeps=2, seconds=0.5)
    steps = [Step(i, "exec", code=c.source) for i, c in enumerate(nb.cells) if c.cell_type == "code"][:10]
    graded = Graded("s", "a1_lookup", "a1_lookup")
    worker.run_steps(steps, Limits(timeout=2, total_seconds=10**6, memory_mb=512), graded)
    assert graded.restarts == 5 and graded.seconds > 5 * 2 * 0.5


# 6. memory and output without a total

def test_output_is_kept_within_the_budget(attacked):
    size = (attacked["course"] / "autograded" / "output_flood" / "a1_lookup" / "a1_lookup.ipynb").stat().st_size
    assert size < 4 * 2**20


def test_output_has_no_total_in_stock_nbgrader(a1_course, tmp_path):
    course, release = a1_course
    course = copy_course(course, tmp_path / "course")
    write_submission(course, "output_flood", "a1_lookup", output_flood(100)(release))
    subprocess.run([str(BIN / "nbgrader"), "autograde", "a1_lookup"], cwd=course, env=ENV, capture_output=True)
    assert (course / "autograded" / "output_flood" / "a1_lookup" / "a1_lookup.ipynb").stat().st_size > 6 * 2**20


def test_nbgrader_reads_a_timestamp_whole(tmp_path):
    from nbgrader.coursedir import CourseDirectory

    with open(tmp_path / "timestamp.txt", "wb") as f:
        f.truncate(64 * 2**20)
    tracemalloc.start()
    try:
        CourseDirectory().get_existing_timestamp(str(tmp_path))
    except Exception:  # not a date (after reading all of it)
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak >= 64 * 2**20


def test_memory_has_no_total_without_the_watchdog(monkeypatch):
    monkeypatch.setattr(Budgets, "look", staticmethod(lambda ticket: None))
    graded = Graded("s", "a1_lookup", "a1_lookup")
    worker.run_steps([Step(0, "exec", code=MEMORY_FORK)], Limits(timeout=20, memory_mb=512), graded)
    assert graded.outputs[0].stdout == "all six children kept their memory\n", graded.events


def test_busy_processes_outlive_their_cell_without_the_ending(a1_course, tmp_path, monkeypatch):
    course, release = a1_course
    course = copy_course(course, tmp_path / "course")
    write_submission(course, "busy_processes", "a1_lookup", busy_processes(release))
    monkeypatch.setattr(processes, "end_processes", lambda root, keep: 0)
    grade_assignment(course, "a1_lookup", limits=LIMITS, jobs=1)
    assert cell_after(course, "busy_processes", "quiz_one_hot_times_w_answer").strip() == "busy processes alive: 8"


# 7. a forged report

def test_the_report_cannot_be_forged(attacked):
    run = attacked["run"]
    text = report.render(run.graded, run.skipped, run.failed, run.isolation, run.budget)
    lines = text.splitlines()
    assert not any(line.startswith("  mallory") or line.startswith("    repair: nothing unusual") for line in lines)
    block = lines.index(next(line for line in lines if line.startswith("  forged_report/")))
    attacker = lines[block + 1:]
    attacker = attacker[:next((i for i, line in enumerate(attacker) if not line.startswith("    ")), len(attacker))]
    assert attacker and all(re.match(r"    [a-z-]+( \[.*\])?: ", line) for line in attacker)
    forged = [e.detail for e in result(run, "forged_report").events if "mallory" in e.detail]
    assert all("\n" not in d for d in forged)
    assert any("\\n  mallory/a1_lookup" in d for d in forged)  # the refused path: there, escaped
    assert any("\\n  mallory\u2215a1_lookup" in d for d in forged)  # the FIFO's name


def test_the_json_report_holds_one_line_per_event(attacked, tmp_path):
    run = attacked["run"]
    path = report.write_json(tmp_path / "report.json", "a1_lookup", run.graded, run.skipped, run.failed,
                             run.isolation, run.budget)
    data = json.loads(path.read_text())
    for submission in data["submissions"]:
        for event in submission["events"]:
            assert "\n" not in event["detail"] and "\n" not in event["grade_id"]
    assert data["budget"] == run.budget and data["isolation"] == "namespaces"


def test_student_html_is_escaped_in_the_feedback(attacked):
    html = (attacked["course"] / "feedback" / "html_everywhere" / "a1_lookup" / "a1_lookup.html").read_text()
    assert "<script>alert('printed')</script>" not in html and "&lt;script&gt;alert(" in html
    assert "<img src=x onerror" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "\x1b" not in html
    # the student's own markdown: its HTML shown as text (the course sets HTMLExporter.sanitize_html)
    assert "onerror=\"alert('markdown')" not in html and "&lt;img src=x onerror=alert('markdown')&gt;" in html


def test_gradebook_holds_only_grader_scores(attacked):
    db = sqlite3.connect(attacked["course"] / "gradebook.db")
    top = db.execute("SELECT max(auto_score) FROM grade").fetchone()[0]
    db.close()
    assert top <= 5


def test_the_report_says_which_budget_was_used(attacked):
    run = attacked["run"]
    text = report.render(run.graded, run.skipped, run.failed, run.isolation, run.budget)
    assert f"budget: {run.budget}" in text.splitlines()
    assert run.budget.startswith(("memory and CPU share per submission by cgroup v2",
                                  "memory per submission by a watchdog"))
