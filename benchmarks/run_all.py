"""Run every benchmark in this folder, one after the other, and print their figures.

Each benchmark is its own script (``python benchmarks/<name>.py --help``); this only
runs them in sequence, so the machine is not shared between two measurements.
Pass ``--quick`` for small sizes (a smoke run, not figures to report).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# script -> (full arguments, quick arguments)
BENCHMARKS = {
    "notebook_runtime.py": ([], ["a1_lookup", "--repeats", "1"]),
    "training_runs.py": ([], ["--seeds", "2", "--repeats", "1"]),
    "widgets_latency.py": (["--browser"], ["--repeats", "50"]),
    "dashboards.py": ([], ["--repeats", "1", "--presses", "10", "lookup"]),
    "grading_throughput.py": ([], ["--n", "20"]),
    "cluster_scale.py": ([], ["--n", "4", "--store", "20"]),
    "glove_queries.py": ([], ["--repeats", "5"]),
    "projector_clicks.py": ([], ["--clicks", "5"]),
    "cloze_queries.py": ([], ["--queries", "5"]),
    "pretraining_claims.py": ([], ["--seeds", "1"]),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: check the scripts run")
    parser.add_argument("only", nargs="*", help="benchmark script names (default: all)")
    args = parser.parse_args(argv)
    failed = []
    for script, (full, quick) in BENCHMARKS.items():
        if args.only and script not in args.only and script.removesuffix(".py") not in args.only:
            continue
        print(f"\n=== {script} ===", flush=True)
        start = time.monotonic()
        code = subprocess.call([sys.executable, str(HERE / script), *(quick if args.quick else full)])
        print(f"=== {script}: exit {code} after {time.monotonic() - start:.0f} s ===", flush=True)
        if code:
            failed.append(script)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
