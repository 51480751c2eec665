"""The sandbox and its driver: outputs, IPython syntax, deaths, restarts and limits."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from autograder.grading.records import Graded, Step
from autograder.grading.worker import Limits, SandboxProcess, run_steps

pytestmark = [pytest.mark.slow]


def run(*codes: str, limits: Limits = Limits(timeout=10, memory_mb=512)) -> Graded:
    graded = Graded("s", "a1_lookup", "a1_lookup")
    run_steps([Step(i, "exec", code=code) for i, code in enumerate(codes)], limits, graded)
    return graded


def test_streams_results_errors_and_ipython_syntax():
    from autograder.grading.transform import to_python

    graded = run("import sys\nprint('out')\nprint('err', file=sys.stderr)\n6 * 7",
                 "1 / 0",
                 to_python("%time y = 2\ndisplay('shown')"),
                 "y + 1")
    first, second, third, fourth = (graded.outputs[i] for i in range(4))
    assert (first.stdout, first.stderr, first.result, first.error) == ("out\n", "err\n", "42", None)
    assert second.error["ename"] == "ZeroDivisionError" and "1 / 0" in "".join(second.error["traceback"])
    assert third.error is None and "'shown'" in third.stdout
    assert fourth.result == "3"
    assert graded.events == [] and graded.restarts == 0


def test_reference_solutions_cannot_be_imported_in_the_sandbox():
    graded = run("import autograder.reference.a1_lookup")
    assert graded.outputs[0].error["ename"] == "ImportError"


def test_a_crash_costs_only_its_cell_and_earlier_state_is_restored():
    graded = run("x = 41", "import os\nos._exit(7)", "x + 1")
    assert "status 7" in graded.outputs[1].error["evalue"]
    assert graded.outputs[2].result == "42"
    assert graded.restarts == 1 and [e.kind for e in graded.events] == ["crash"]


def test_after_max_restarts_the_remaining_cells_are_not_run():
    crash = "import os\nos._exit(1)"
    graded = run("x = 1", crash, crash, crash, "x", limits=Limits(timeout=10, max_restarts=1))
    assert graded.outputs[2].error["ename"] == "DeadKernelError"
    assert graded.outputs[3].error["ename"] == "CellNotRun" and graded.outputs[4].error["ename"] == "CellNotRun"
    assert graded.restarts == 1


def test_memory_limit_turns_a_runaway_allocation_into_an_error():
    graded = run("hoard = []\nwhile True:\n    hoard.append(bytearray(2**26))", "len('still alive')")
    assert graded.outputs[0].error["ename"] == "MemoryError"
    assert graded.outputs[1].result == "11"
    assert [e.kind for e in graded.events] == ["memory"]


def host_processes_with(marker: str) -> list[int]:
    """PIDs (as this process sees them) whose command line contains ``marker``, zombies excluded."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize("isolation", ["namespaces", "none"])
def test_timeout_kills_the_sandbox_and_everything_it_spawned(isolation):
    marker = f"600.{os.getpid()}{'1' if isolation == 'none' else '2'}"  # a sleep nobody else runs
    box = SandboxProcess(Limits(timeout=5, isolation=isolation))
    try:
        reply = box.request(5, op="exec", code=f"import subprocess\nchild = subprocess.Popen(['sleep', '{marker}'])\n",
                    filename="<cell>")
        deadline = time.monotonic() + 5
        while not host_processes_with(marker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert host_processes_with(marker), f"the sandbox did not start its child: {reply}"
        with pytest.raises(Exception) as died:
            box.request(1, op="exec", code="while True:\n    pass", filename="<cell>")
        assert died.value.kind == "timeout"
    finally:
        box.close()
    # SIGKILL is immediate; only reaping is asynchronous, so allow a moment for it.
    deadline = time.monotonic() + 10
    while host_processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert host_processes_with(marker) == []


def test_a_forged_answer_on_the_channel_is_detected():
    forge = ("import os, struct, json\nfake = json.dumps({'nonce': 'x', 'result': '1'}).encode()\n"
             "for fd in range(3, 64):\n"
             "    try:\n        os.write(fd, struct.pack('!i', len(fake)) + fake)\n"
             "    except OSError:\n        pass\n")
    graded = run("x = 5", forge, "x")
    assert [e.kind for e in graded.events] == ["tampering"]
    assert graded.outputs[2].result == "5"


def test_a_sandbox_does_not_reimport_the_parents_main_script(tmp_path):
    """multiprocessing would re-import the parent's __main__ (the console script) in each sandbox: a second each."""
    import subprocess
    import sys

    marker = tmp_path / "imports.txt"
    script = tmp_path / "parent.py"
    script.write_text(
        "import os\n"
        f"with open({str(marker)!r}, 'a') as f:\n"
        "    f.write(f'{os.getpid()}\\n')\n"
        "if __name__ == '__main__':\n"
        "    from autograder.grading.worker import Limits, SandboxProcess\n"
        "    box = SandboxProcess(Limits(timeout=30))\n"
        "    print(box.request(30, op='exec', code='1 + 1', filename='<cell 0>')['result'])\n"
        "    box.close()\n", encoding="utf-8")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "2", out.stderr[-2000:]
    assert len(marker.read_text().splitlines()) == 1  # the parent's own run only


def test_a_dead_warm_server_costs_one_submission_and_is_started_again():
    from autograder.grading.warm_server import warm_server

    server = warm_server()
    server.process.kill()  # bwrap, and with it the zygote and everything under them
    server.process.wait()
    first = run("x = 1", "x")  # may meet the dead server, or already a fresh one
    assert first.outputs[1].result == "1" or any(e.kind == "crash" for e in first.events)
    second = run("x = 2", "x")
    assert second.outputs[1].result == "2" and second.events == []


@pytest.mark.parametrize("isolation", ["namespaces", "none"])
def test_an_exit_status_above_127_is_an_exit_not_a_signal(isolation):
    graded = run("import os\nos._exit(200)", "1 + 1", limits=Limits(timeout=10, memory_mb=512, isolation=isolation))
    assert graded.outputs[0].error["ename"] == "DeadKernelError"
    assert "exited with status" in graded.outputs[0].error["evalue"]
    assert graded.outputs[1].result == "2"
