"""What a cluster worker may send back is plain JSON, rebuilt field by field; the grading process judges it
again; the tars of a task land only inside the job folder (no cluster needed here)."""
from __future__ import annotations

import io
import os
import json
import tarfile

import pytest

from autograder.grading import cluster_wire
from autograder.grading.records import Event, Graded, Output, Step
from autograder.grading.worker import Limits

STEPS = [Step(0, "exec", code="x = 1", grade_id="setup"), Step(1, "probe", check="a1_lookup.one_hot_basic",
                                                               grade_id="one_hot_basic", is_test=True),
         Step(2, "exec", code="assert x == 1", grade_id="in_kernel", is_test=True), Step(3, "skip")]


def honest(**outputs) -> dict:
    return {"protocol": cluster_wire.PROTOCOL, "restarts": 0, "seconds": 1.5, "events": [["crash", "died", "x"]],
            "isolation": "namespaces", "budget": "a watchdog",
            "outputs": {k: {"stdout": "", "stderr": "", "result": None, "error": None, "steps": None,
                            "probe_error": None, "message": None, **v} for k, v in outputs.items()}}


def read(value) -> dict:
    return cluster_wire.read_result(json.dumps(value), STEPS, Limits())


def test_a_task_carries_its_plan_as_plain_data_and_back():
    graded = Graded("s1", "a1_lookup", "a1_lookup", outputs={3: Output()})
    graded.note(Event("repair", "a cell was restored", "one_hot_basic"))
    task = json.loads(json.dumps(cluster_wire.task(STEPS, Limits(timeout=7), graded)))
    assert cluster_wire.steps_of(task) == STEPS and cluster_wire.limits_of(task) == Limits(timeout=7)
    again = cluster_wire.graded_of(task)
    assert list(again.outputs) == [3] and again.events == graded.events


def test_an_honest_result_is_rebuilt_and_judged_here():
    got = read(honest(**{"0": {"stdout": "hi\n"}, "1": {"steps": []}, "2": {}}))
    outputs = got["outputs"]
    assert outputs[0].stdout == "hi\n" and got["events"] == [Event("crash", "died", "x")]
    cluster_wire.judge(STEPS, outputs)
    assert outputs[2].verdict.passed  # an in-kernel test cell that raised nothing
    assert not outputs[1].verdict.passed  # no steps reported: the reference's are not all there
    assert "stopped early" in outputs[1].verdict.message


def test_the_workers_claim_that_a_cell_passed_counts_for_nothing():
    error = {"ename": "AssertionError", "evalue": "no", "traceback": ["AssertionError: no"]}
    bogus = [{"kind": "expect", "label": "one_hot([0], 2)", "value": {"type": "int", "value": 3}}]
    outputs = read(honest(**{"1": {"steps": bogus}, "2": {"error": error}}))["outputs"]
    cluster_wire.judge(STEPS, outputs)
    assert not outputs[1].verdict.passed and not outputs[2].verdict.passed
    assert outputs[2].verdict.message == "AssertionError: no"


def test_a_cell_that_never_reached_its_check_keeps_the_workers_reason():
    error = {"ename": "CellTimeoutError", "evalue": "no answer within 30 s", "traceback": []}
    outputs = read(honest(**{"1": {"error": error, "message": "no answer within 30 s (stopped)"}}))["outputs"]
    cluster_wire.judge(STEPS, outputs)
    assert outputs[1].verdict.message == "no answer within 30 s (stopped)" and not outputs[1].verdict.passed


@pytest.mark.parametrize("broken", [
    lambda r: r.update(protocol=0),
    lambda r: r["outputs"].update({"3": r["outputs"]["0"]}),  # a cell the plan does not run
    lambda r: r["outputs"].update({"9": r["outputs"]["0"]}),
    lambda r: r["outputs"]["0"].update(stdout=5),
    lambda r: r["outputs"]["0"].update(error={"ename": "E", "evalue": "v", "traceback": "not a list"}),
    lambda r: r["outputs"]["0"].update(stdout="x" * (Limits().output_bytes + 5000)),
    lambda r: r["outputs"]["1"].update(steps=[{"kind": "exec", "label": "x"}]),
    lambda r: r.update(events=[["forged", "x", ""]]),
    lambda r: r.update(events=[["crash", "x", ""]] * 41),
    lambda r: r.update(restarts=99),
    lambda r: r.update(seconds="1"),
    lambda r: r.update(outputs=[]),
])
def test_a_result_of_any_other_shape_is_refused(broken):
    result = honest(**{"0": {}, "1": {"steps": []}})
    broken(result)
    with pytest.raises(cluster_wire.BadResult):
        read(result)


def test_not_json_deep_json_or_not_text_is_refused():
    for text in ("{", "[" * 100_000 + "]" * 100_000, b"{}", None):
        with pytest.raises(cluster_wire.BadResult):
            cluster_wire.read_result(text, STEPS, Limits())


def test_a_refusal_is_one_line_of_words():
    got = cluster_wire.read_result(cluster_wire.refusal("worker tcp://x:1: no bwrap\x1b[31m"), STEPS, Limits())
    assert got == {"refused": "worker tcp://x:1: no bwrap\\x1b[31m"}


def test_files_travel_as_a_tar_that_lands_only_inside_the_job(tmp_path):
    src, job = tmp_path / "src", tmp_path / "job"
    (src / "data").mkdir(parents=True)
    (src / "data" / "corpus.tsv").write_text("a\tb\n")
    (src / "link.tsv").symlink_to("data/corpus.tsv")
    job.mkdir()
    cluster_wire.unbundle(cluster_wire.bundle(src), job)
    assert (job / "link.tsv").read_text() == "a\tb\n" and (job / "link.tsv").is_symlink()
    def tar_of(name: str) -> bytes:
        data = io.BytesIO()
        with tarfile.open(fileobj=data, mode="w") as tar:
            info = tarfile.TarInfo(name)
            info.size = 1
            tar.addfile(info, io.BytesIO(b"x"))
        return data.getvalue()

    with pytest.raises(tarfile.TarError):
        cluster_wire.unbundle(tar_of("../outside.txt"), job)
    assert not (tmp_path / "outside.txt").exists()
    cluster_wire.unbundle(tar_of("/abs/evil"), job)  # an absolute name lands inside, its "/" dropped
    assert (job / "abs" / "evil").read_text() == "x" and not os.path.exists("/abs/evil")
