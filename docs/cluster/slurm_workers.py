"""Grading workers on a Slurm cluster with dask-jobqueue (documented, not tested here).

Run on a login node of the cluster, inside the course's install (the same
embedding-lab version and .venv as the grading machine; bubblewrap on every node):

    pip install dask-jobqueue==0.9.0    # next to distributed 2026.11.0 (requirements/constraints.txt)
    python docs/cluster/slurm_workers.py --jobs 8 --scheduler-file ~/grading/scheduler.json

then, on the machine with the course (it must reach the scheduler's port, students must not):

    embedding-lab grade a1_lookup --scheduler-file ~/grading/scheduler.json \\
        --tls-ca-file ca.pem --tls-cert client.pem --tls-key client-key.pem
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from dask_jobqueue import SLURMCluster
from distributed import Client
from distributed.security import Security


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=8, help="Slurm jobs, one worker each")
    parser.add_argument("--scheduler-file", type=Path, required=True)
    parser.add_argument("--certs", type=Path, default=Path("~/grading/certs").expanduser(),
                        help="ca.pem, node.pem and node-key.pem (see docs/cluster/README.md)")
    args = parser.parse_args()
    security = Security(tls_ca_file=str(args.certs / "ca.pem"), tls_client_cert=str(args.certs / "node.pem"),
                        tls_client_key=str(args.certs / "node-key.pem"), require_encryption=True)
    cluster = SLURMCluster(
        queue="batch",                # your partition
        account="course-grading",     # your allocation
        cores=4,                      # one Slurm job: 4 cores ...
        processes=1,                  # ... one dask worker process ...
        memory="12GB",                # ... with room for 4 submissions of 2 GiB each and the warm server
        walltime="02:00:00",
        # --nthreads 4: four submissions at once per worker, each in its own sandbox.
        worker_extra_args=["--nthreads", "4"],
        job_script_prologue=["source /path/to/embedding-lab/.venv/bin/activate"],
        protocol="tls://", security=security,
        scheduler_options={"host": "0.0.0.0", "port": 8786},  # firewall: graders' machines only
    )
    cluster.scale(jobs=args.jobs)
    args.scheduler_file.write_text(json.dumps({"address": cluster.scheduler_address}))
    with Client(cluster, security=security) as client:
        client.wait_for_workers(1)
        print(f"scheduler at {cluster.scheduler_address}; {len(client.scheduler_info()['workers'])} worker(s); "
              "Ctrl-C ends the Slurm jobs")
        try:
            while True:
                time.sleep(60)
        except KeyboardInterrupt:
            cluster.close()


if __name__ == "__main__":
    main()
