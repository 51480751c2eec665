"""The cluster's faults, each for real on 127.0.0.1: a worker SIGKILLed mid-run, a task that dies, a
scheduler that goes away, workers without bubblewrap, and a TLS cluster. Every submission ends stored
exactly once (one gradebook submission, the scores of a local run) or reported as not graded with the
reason (nothing of it stored); a second run grades only what is left."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from dask_cluster import BIN, LocalCluster
from grading_course import copy_course
from test_cluster import ENV, STUDENTS, add_cell, courses, grade, report  # noqa: F401  (courses: a fixture)

pytestmark = [pytest.mark.slow]
SLOW_CELL = "import time\ntime.sleep(2)"


@pytest.fixture(scope="module")
def slow(courses, tmp_path_factory):
    """The module's submissions, each with a cell that sleeps 2 s (so a fault lands mid-run), not yet graded;
    and the scores a local run gave the same submissions (the sleep changes none)."""
    base, local, bench = courses
    course = copy_course(base, tmp_path_factory.mktemp("slow") / "course")
    for student in [p.name for p in (course / "submitted").iterdir()]:
        add_cell(course, student, SLOW_CELL)
    return course, bench.scores(local), bench


def start(course: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([str(BIN / "embedding-lab"), "grade", "a1_lookup", "--no-progress", *args], cwd=course,
                            env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(condition, timeout: float = 180, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def submissions_stored(course: Path) -> dict[str, int]:
    """Student -> gradebook submission rows of a1_lookup (exactly once: 1)."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        rows = [s.student.id for s in gb.find_assignment("a1_lookup").submissions]
    return {student: rows.count(student) for student in rows}


def assert_stored_once_or_not_at_all(course: Path, scores: dict, bench, not_graded: set[str]) -> None:
    got = bench.scores(course)
    assert set(got) == set(scores) - not_graded
    assert all(got[s] == scores[s] for s in got)
    assert set(submissions_stored(course).values()) <= {1} and set(submissions_stored(course)) == set(got)
    for student in not_graded:
        assert not (course / "autograded" / student).exists(), student


def test_a_worker_killed_mid_run_costs_only_a_retry(slow, tmp_path):
    course, scores, bench = slow
    course = copy_course(course, tmp_path / "course")
    cluster = LocalCluster(tmp_path / "dask")
    try:
        cluster.add_worker("w1")
        cluster.add_worker("w2")
        cluster.wait_for_workers(2)
        run = start(course, "--scheduler-file", str(cluster.scheduler_file))
        wait_for(lambda: cluster.grading("w1"), what="w1 to start a submission")
        victim = cluster.grading("w1")[0]
        cluster.kill_worker("w1")  # SIGKILL, mid-task: the scheduler gives its task to w2
        out, err = run.communicate(timeout=600)
    finally:
        cluster.close()
    assert run.returncode == 0, err[-3000:]
    assert_stored_once_or_not_at_all(course, scores, bench, set())
    assert victim in bench.scores(course) and report(course)["failed"] == []


def test_a_task_that_dies_is_reported_not_graded_and_a_rerun_grades_only_it(slow, tmp_path):
    course, scores, bench = slow
    course = copy_course(course, tmp_path / "course")
    # No second chance for a task whose worker died: it fails with KilledWorker.
    cluster = LocalCluster(tmp_path / "dask", env={"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"})
    try:
        cluster.add_worker("w1")
        cluster.add_worker("w2")
        cluster.wait_for_workers(2)
        run = start(course, "--scheduler-file", str(cluster.scheduler_file))
        wait_for(lambda: cluster.grading("w1"), what="w1 to start a submission")
        victim = cluster.grading("w1")[0]
        cluster.kill_worker("w1")
        out, err = run.communicate(timeout=600)
        assert run.returncode == 1, err[-3000:]
        # The running task and any the scheduler had queued on w1 (worker-saturation) died with it.
        failed = {f["student"]: f["problem"] for f in report(course)["failed"]}
        assert victim in failed and all("KilledWorker" in why and "not graded" in why for why in failed.values())
        assert all(student in out for student in failed)  # the printed report names them
        assert_stored_once_or_not_at_all(course, scores, bench, set(failed))
        again = grade(course, "--scheduler-file", str(cluster.scheduler_file))
    finally:
        cluster.close()
    assert again.returncode == 0, again.stderr[-3000:]
    assert sorted(report(course)["skipped"]) == sorted(set(scores) - set(failed))  # only what was left
    assert_stored_once_or_not_at_all(course, scores, bench, set())


def test_a_scheduler_that_goes_away_loses_no_stored_result(slow, tmp_path):
    course, scores, bench = slow
    course = copy_course(course, tmp_path / "course")
    cluster = LocalCluster(tmp_path / "dask")
    try:
        cluster.add_worker("w1")  # one thread: 4 tasks on the cluster at once, the other 2 still here
        cluster.wait_for_workers(1)
        run = start(course, "--scheduler-file", str(cluster.scheduler_file))
        wait_for(lambda: any((course / "autograded").glob("*/a1_lookup")), what="a first stored submission")
        cluster.kill_scheduler()
        out, err = run.communicate(timeout=300)
    finally:
        cluster.close()
    assert run.returncode == 1, err[-3000:]
    failed = {f["student"]: f["problem"] for f in report(course)["failed"]}
    graded = set(bench.scores(course))
    assert failed and graded and not set(failed) & graded and set(failed) | graded == set(scores)
    assert all("scheduler" in why and "not graded" in why for why in failed.values()), failed
    assert_stored_once_or_not_at_all(course, scores, bench, set(failed))
    second = LocalCluster(tmp_path / "dask-again")
    try:
        second.add_worker("w1")
        second.wait_for_workers(1)
        again = grade(course, "--scheduler-file", str(second.scheduler_file))
    finally:
        second.close()
    assert again.returncode == 0, again.stderr[-3000:]
    assert sorted(report(course)["skipped"]) == sorted(graded)
    assert_stored_once_or_not_at_all(course, scores, bench, set())


def test_workers_without_bubblewrap_refuse_and_the_others_grade(courses, tmp_path):
    base, local, bench = courses
    course = copy_course(base, tmp_path / "course")
    cluster = LocalCluster(tmp_path / "dask")
    try:
        cluster.add_worker("good")
        cluster.add_worker("no-bwrap", env={"PATH": str(BIN)})  # bwrap is in /usr/bin: not found there
        cluster.wait_for_workers(2)
        proc = grade(course, "--scheduler-file", str(cluster.scheduler_file))
    finally:
        cluster.close()
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert bench.scores(course) == bench.scores(local)
    budget = report(course)["budget"]
    assert "on 1 worker(s)" in budget and "refused by" in budget and "bubblewrap (bwrap) is not installed" in budget
    assert "refused by" in proc.stdout  # the printed report says so too


def test_a_cluster_where_no_worker_has_namespaces_grades_nothing(courses, tmp_path):
    base, _, bench = courses
    course = copy_course(base, tmp_path / "course")
    cluster = LocalCluster(tmp_path / "dask")
    try:
        cluster.add_worker("no-bwrap", env={"PATH": str(BIN)})
        cluster.wait_for_workers(1)
        proc = grade(course, "--scheduler-file", str(cluster.scheduler_file))
    finally:
        cluster.close()
    assert proc.returncode == 1
    assert "no worker of the cluster can grade untrusted code" in proc.stderr and "--isolation none" in proc.stderr
    assert bench.scores(course) == {} and not (course / "autograded").exists()


def make_certificates(folder: Path) -> dict[str, str]:
    """A certificate authority and one certificate it signs for 127.0.0.1 (scheduler, workers and client)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    now = datetime.datetime.now(datetime.timezone.utc)

    def certificate(subject: str, key, issuer: x509.Name, issuer_key, ca: bool) -> x509.Certificate:
        builder = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
                   .issuer_name(issuer).public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if not ca:
            builder = builder.add_extension(x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        return builder.sign(issuer_key, hashes.SHA256())

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "grading test CA")])
    ca = certificate("grading test CA", ca_key, ca_name, ca_key, True)
    leaf = certificate("127.0.0.1", key, ca_name, ca_key, False)
    paths = {"ca": folder / "ca.pem", "cert": folder / "cert.pem", "key": folder / "key.pem"}
    paths["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths["cert"].write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    paths["key"].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    return {name: str(path) for name, path in paths.items()}


def test_a_tls_cluster_grades_and_refuses_a_client_without_a_certificate(courses, tmp_path):
    base, local, bench = courses
    certs = make_certificates(tmp_path)
    tls = {"ca": certs["ca"], "scheduler_cert": certs["cert"], "scheduler_key": certs["key"],
           "worker_cert": certs["cert"], "worker_key": certs["key"]}
    course = copy_course(base, tmp_path / "course")
    cluster = LocalCluster(tmp_path / "dask", tls=tls)
    try:
        cluster.add_worker("w1", nthreads=2)
        cluster.wait_for_workers(1)
        assert cluster.address.startswith("tls://127.0.0.1:")
        without = subprocess.run([str(BIN / "embedding-lab"), "grade", "a1_lookup", "--scheduler", cluster.address],
                                 cwd=course, env={**ENV, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "5s"},
                                 capture_output=True, text=True, timeout=120)
        proc = grade(course, "--scheduler", cluster.address, "--tls-ca-file", certs["ca"], "--tls-cert", certs["cert"],
                     "--tls-key", certs["key"])
    finally:
        cluster.close()
    assert without.returncode == 1 and "could not reach tls://127.0.0.1" in without.stderr, without.stderr[-2000:]
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert bench.scores(course) == bench.scores(local)
