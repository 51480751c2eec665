"""A real Dask cluster on 127.0.0.1 for the tests: `dask scheduler` and `dask worker` processes,
each in a working directory of its own, started and ended by the test that uses them."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


class LocalCluster:
    """One scheduler (port chosen by the kernel) and named workers, all separate processes."""

    def __init__(self, root: Path, tls: dict[str, str] | None = None, env: dict | None = None):
        self.root = root
        self.tls = tls or {}
        self.scheduler_file = root / "scheduler.json"
        self.workers: dict[str, subprocess.Popen] = {}
        folder = root / "scheduler"
        folder.mkdir(parents=True)
        args = [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                "--scheduler-file", str(self.scheduler_file)]
        if self.tls:
            args += ["--protocol", "tls", "--tls-ca-file", self.tls["ca"], "--tls-cert", self.tls["scheduler_cert"],
                     "--tls-key", self.tls["scheduler_key"]]
        self.scheduler = self._start(args, folder, "scheduler", env)
        deadline = time.monotonic() + 60
        while not self._address():
            if self.scheduler.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"dask scheduler did not start: {self.log('scheduler')[-2000:]}")
            time.sleep(0.1)

    def _address(self) -> str | None:
        try:
            return json.loads(self.scheduler_file.read_text())["address"]
        except (OSError, ValueError, KeyError):
            return None

    @property
    def address(self) -> str:
        address = self._address()
        assert address
        return address

    def _start(self, args: list[str], cwd: Path, name: str, env: dict | None = None) -> subprocess.Popen:
        with open(self.root / f"{name}.log", "wb") as log:
            return subprocess.Popen(args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                                    env={**os.environ, **(env or {})}, start_new_session=True)

    def log(self, name: str) -> str:
        return (self.root / f"{name}.log").read_text(errors="replace")

    def add_worker(self, name: str, nthreads: int = 1, env: dict | None = None) -> None:
        """A worker in a folder of its own, its temporary files (the warm server's jobs) in ``folder/tmp``."""
        folder = self.root / name
        (folder / "tmp").mkdir(parents=True)
        env = {"TMPDIR": str(folder / "tmp"), **(env or {})}
        args = [str(BIN / "dask"), "worker", self.address, "--name", name, "--nthreads", str(nthreads),
                "--no-nanny", "--no-dashboard", "--local-directory", str(folder)]
        if self.tls:
            args += ["--tls-ca-file", self.tls["ca"], "--tls-cert", self.tls["worker_cert"],
                     "--tls-key", self.tls["worker_key"]]
        self.workers[name] = self._start(args, folder, name, env)

    def wait_for_workers(self, n: int, timeout: float = 120) -> None:
        """Until ``n`` workers say in their log that they joined the scheduler."""
        deadline = time.monotonic() + timeout
        while sum("Registered to" in self.log(name) for name in self.workers) < n:
            if time.monotonic() > deadline:
                raise RuntimeError("workers did not join: " + " | ".join(self.log(w)[-800:] for w in self.workers))
            time.sleep(0.2)

    def grading(self, name: str) -> list[str]:
        """The students whose submissions worker ``name`` is running now (its warm server's job folders)."""
        return [job.name.rsplit("-", 1)[0] for job in (self.root / name / "tmp").glob("embedding-lab-jobs-*/*")]

    def kill_worker(self, name: str) -> None:
        """SIGKILL the worker process (its warm server sees its control socket close and ends its sandboxes)."""
        self.workers[name].send_signal(signal.SIGKILL)
        self.workers[name].wait()

    def kill_scheduler(self) -> None:
        self.scheduler.send_signal(signal.SIGKILL)
        self.scheduler.wait()

    def close(self) -> None:
        for process in [*self.workers.values(), self.scheduler]:
            if process.poll() is None:
                process.terminate()
        for process in [*self.workers.values(), self.scheduler]:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
