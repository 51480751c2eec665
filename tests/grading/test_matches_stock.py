"""On honest submissions, `embedding-lab grade` gives exactly stock `nbgrader autograde`'s per-cell scores."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from grading_course import copy_course

pytestmark = [pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def benchmark_module():
    spec = importlib.util.spec_from_file_location("grading_throughput", REPO / "benchmarks" / "grading_throughput.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_honest_mix_scores_identically(a1_course, tmp_path):
    bench = benchmark_module()
    course, _ = a1_course
    stock = copy_course(course, tmp_path / "stock")
    described = bench.make_submissions(stock, 6, seed=11)
    ours = copy_course(stock, tmp_path / "ours")
    proc = subprocess.run([str(BIN / "nbgrader"), "autograde", "a1_lookup"], cwd=stock, env=ENV,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    proc = subprocess.run([str(BIN / "embedding-lab"), "grade", "a1_lookup", "--no-progress"], cwd=ours, env=ENV,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    got_stock, got_ours = bench.scores(stock), bench.scores(ours)
    assert sorted(got_stock) == sorted(got_ours) == sorted(described)
    for student in described:
        for cell, score in got_stock[student].items():
            if score != got_ours[student][cell]:  # only where stock penalised text on stderr from passing code
                assert bench.stderr_only(stock, student, cell) and got_ours[student][cell] > score, (student, cell)
    assert len({sum(s.values()) for s in got_ours.values()}) > 1  # the mix really differs between students
