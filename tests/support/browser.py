"""Drive the dashboards in a real browser: shared by the browser tests and the benchmark.

The server runs as a subprocess (``embedding-lab dashboards``) on a free port;
the browser is Debian's chromium driven by Playwright (never Playwright's own
browser download). Timings are taken inside the page with ``performance.now()``
(milliseconds since navigation start), so they do not include Playwright's
round trips. Playwright is a dev dependency: imported only by the callers.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

# What an error looks like on a Voila page: Python error/stderr outputs, Voila's own
# error page, and ipywidgets' placeholder for a widget that failed to render.
ERROR_SELECTORS = (
    '[data-mime-type="application/vnd.jupyter.stderr"]',
    ".jp-OutputArea-output.jp-mod-error",
    ".voila-error",
    ".jupyter-widgets-error-widget",
)
ERROR_TEXTS = ("Traceback (most recent call last)", "There was an error when executing cell",
               "Error displaying widget")


@dataclass(frozen=True)
class PageProbe:
    """How to tell that a dashboard is interactive, and which slider to move."""

    slug: str
    ready: tuple[str, ...]
    """CSS selectors that must all be on the page: the kernel-rendered parts."""
    slider_label: str
    """Description of the slider the latency benchmark moves with the keyboard."""
    target: str
    """Selector of the kernel-rendered element that changes when that slider moves."""


PROBES = {
    "lookup": PageProbe("lookup", (".el-vocab", ".el-matrix", ".el-highlight", ".el-result"),
                        "token index", ".el-highlight"),
    "similarity": PageProbe("similarity", (".el-cosine-readout", ".el-cosine-drawing", ".el-neighbours"),
                            "angle b (°)", ".el-cosine-readout"),
    "training": PageProbe("training", (".el-training-plot", ".el-training-readout", ".el-neighbours"),
                          "snapshot", ".el-training-readout"),
    "projector": PageProbe("projector", (".el-map", ".el-neighbours", ".el-analogys", ".el-axis"),
                           "neighbours", ".el-neighbours"),
    "cloze": PageProbe("cloze", (".el-cloze-sentence", ".el-cloze-prediction"), "top k", ".el-cloze-predictions"),
    "class_report": PageProbe("class_report", (".el-report-status", ".el-help-rule"),
                              "flag below", ".el-help-rule"),
}


def free_port() -> int:
    """A TCP port that was free a moment ago (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DashboardServer:
    """``embedding-lab dashboards`` in a subprocess, logging to ``log_path``."""

    def __init__(self, workdir: Path, *, course_dir: Path, db_url: str | None = None,
                 pool_size: int = 1, extra_args: tuple[str, ...] = ()):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_path = Path(workdir) / f"dashboards-{self.port}.log"
        args = [sys.executable, "-m", "autograder", "dashboards", "--port", str(self.port),
                "--ip", "127.0.0.1", "--no-browser", "--pool-size", str(pool_size),
                "--course-dir", str(course_dir), "--show-tracebacks", *extra_args]
        if db_url:
            args += ["--db-url", db_url]
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(args, cwd=workdir, stdout=self._log, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_until_up(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the dashboard server exited ({self.process.returncode}):\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"no answer from {self.url} after {timeout:.0f} s:\n{self.log()}")

    def pools_filled(self, filename: str) -> int:
        """How many times Voila has reported ``filename``'s kernel pool full."""
        return self.log().count(f"Kernel pool of {filename} is filled")

    def wait_for_pools(self, filenames: list[str], at_least: dict[str, int] | None = None,
                       timeout: float = 120.0) -> None:
        """Wait until every pool has been (re)filled ``at_least`` times (default once)."""
        at_least = at_least or {}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(self.pools_filled(f) >= at_least.get(f, 1) for f in filenames):
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"the dashboard server exited:\n{self.log()}")
            time.sleep(0.2)
        raise TimeoutError(f"kernel pools not filled after {timeout:.0f} s:\n{self.log()}")

    def wait_for_idle_kernels(self, quiet_s: float = 1.0, timeout: float = 120.0) -> None:
        """Wait until no kernel of this server used CPU for ``quiet_s`` seconds.

        Voila reports a pool "filled" once its kernels have *started* running the
        notebook; a preheated kernel is ready only when that run is over.
        """
        deadline = time.monotonic() + timeout
        last, quiet_since = None, time.monotonic()
        while time.monotonic() < deadline:
            ticks = {pid: _cpu_ticks(pid) for pid in self.kernel_pids()}
            if ticks != last:
                last, quiet_since = ticks, time.monotonic()
            elif time.monotonic() - quiet_since >= quiet_s:
                return
            time.sleep(0.1)
        raise TimeoutError(f"kernels still busy after {timeout:.0f} s")

    def kernel_pids(self) -> list[int]:
        """Kernel processes started by this server (children running ipykernel)."""
        return [pid for pid, cmd in _children(self.process.pid) if "ipykernel" in cmd]

    def kernel_pid(self, kernel_id: str) -> int:
        for pid, cmd in _children(self.process.pid):
            if f"kernel-{kernel_id}.json" in cmd:
                return pid
        raise LookupError(f"no process for kernel {kernel_id}")

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM: Voila shuts its kernels down; anything left is killed by pid."""
        kernels = self.kernel_pids()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for pid in kernels:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._log.close()


def _children(parent: int) -> list[tuple[int, str]]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == parent:
                found.append((int(entry.name), (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1
    return int(fields[11]) + int(fields[12])  # utime + stime


def rss_mb(pid: int) -> float:
    """Resident memory of a process (``VmRSS`` in ``/proc/<pid>/status``), in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def launch_chromium(playwright):
    """Debian's chromium, headless, with the team's flags."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def open_dashboard(page, base_url: str, slug: str, timeout_ms: float = 60_000) -> float:
    """Go to a dashboard and wait until it is interactive; return time-to-interactive in ms.

    Interactive = every kernel-rendered part of :data:`PROBES` is on the page
    (those exist only after the widget state came from the kernel).
    """
    probe = PROBES[slug]
    page.goto(f"{base_url}voila/render/{slug}.ipynb", wait_until="commit")
    condition = " && ".join(f"document.querySelector({sel!r})" for sel in probe.ready)
    handle = page.wait_for_function(f"() => ({condition}) ? performance.now() : null",
                                    timeout=timeout_ms, polling="raf")
    return float(handle.json_value())


def page_problems(page) -> list[str]:
    """Python errors, Voila errors and broken widgets visible on the page."""
    problems = []
    for selector in ERROR_SELECTORS:
        for element in page.query_selector_all(selector):
            problems.append(f"{selector}: {element.inner_text()[:500]}")
    text = page.inner_text("body")
    problems += [f"page text contains {t!r}" for t in ERROR_TEXTS if t in text]
    return problems


LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

# Uncaught errors that are neither ours nor visible to a user: (message, where it was
# thrown: a piece of the stack). Each says why it is left out; anything else fails.
UPSTREAM_PAGE_ERRORS = (
    # Notebook 7.6's keyboard-shortcuts plugin handles another plugin's settings before
    # its own have loaded, on every page load (jupyter/notebook#7862, open; 7.6.5 is the
    # newest release; it happens with every non-core extension disabled). The handler
    # only recomputes shortcuts, which are computed again once its settings load, so
    # the page works and shows nothing; JupyterLab 4.6 itself does not throw it.
    ("Cannot read properties of undefined (reading 'schema')", "/static/notebook/notebook_core."),
)


def is_local(url: str) -> bool:
    """True for the page's own server and for URLs that need no network (data:, blob:)."""
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname in LOCAL_HOSTS


class PageLog:
    """What a page reports only to its console or the network: attach before ``page.goto``.

    ``console_errors``: console messages of type error (with where they were logged);
    ``page_errors``: uncaught exceptions and rejections (minus :data:`UPSTREAM_PAGE_ERRORS`);
    ``outside_requests``: every request to a host other than this machine (a CDN font,
    MathJax, ...): the course works offline.
    """

    def __init__(self, page):
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.outside_requests: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        page.on("request", self._on_request)

    def _on_console(self, message) -> None:
        if message.type == "error":
            where = message.location or {}
            self.console_errors.append(f"{message.text} (at {where.get('url', '?')}:{where.get('lineNumber', '?')})")

    def _on_page_error(self, error) -> None:
        stack = error.stack or ""
        if any(text in error.message and place in stack for text, place in UPSTREAM_PAGE_ERRORS):
            return
        frames = [line.strip() for line in stack.splitlines() if line.strip().startswith("at ")]
        self.page_errors.append(f"{error.name}: {error.message}" + (f" ({frames[0]})" if frames else ""))

    def _on_request(self, request) -> None:
        if not is_local(request.url):
            self.outside_requests.append(request.url)

    def problems(self) -> list[str]:
        """Everything recorded, one line each (empty when the page was clean)."""
        return ([f"console error: {m}" for m in self.console_errors]
                + [f"uncaught error: {e}" for e in self.page_errors]
                + [f"request to another host: {u}" for u in self.outside_requests])


def kernel_id(page) -> str:
    """The id of the kernel behind a Voila page (from its page config)."""
    return page.evaluate(
        "() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


def slider_handle(page, label: str):
    """The keyboard-focusable handle of the ipywidgets slider described ``label``."""
    slider = page.locator(".widget-slider").filter(
        has=page.locator(".widget-label", has_text=re.compile(f"^{re.escape(label)}$")))
    return slider.locator(".noUi-handle").first


_LATENCY_JS = """(target) => {
  // Time from each keydown to the first change of the kernel-rendered target.
  window.__elLatencies = [];
  let start = null;
  document.addEventListener('keydown', () => { start = performance.now(); }, true);
  const record = () => {
    if (start !== null) { window.__elLatencies.push(performance.now() - start); start = null; }
  };
  const root = document.querySelector(target).closest('.jupyter-widgets') || document.body;
  new MutationObserver(record).observe(root, {subtree: true, childList: true,
                                               attributes: true, characterData: true});
}"""


def slider_latencies(page, slug: str, presses: int = 30, timeout_ms: float = 10_000) -> list[float]:
    """Press ArrowRight/ArrowLeft on the dashboard's slider ``presses`` times; ms per update.

    Alternating directions keeps the slider inside its range; each press is sent
    only after the previous update reached the page.
    """
    probe = PROBES[slug]
    page.evaluate(_LATENCY_JS, probe.target)
    handle = slider_handle(page, probe.slider_label)
    handle.focus()
    for i in range(presses):
        handle.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        page.wait_for_function(f"() => window.__elLatencies.length >= {i + 1}", timeout=timeout_ms)
    return page.evaluate("() => window.__elLatencies")
