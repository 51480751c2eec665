"""Click-to-page latency of the Projector dashboard in a real browser.

    .venv/bin/python benchmarks/projector_clicks.py [--clicks 30]

Starts ``embedding-lab dashboards`` (one preheated kernel per dashboard) on a free port,
opens the Projector in Debian's chromium (Playwright) and clicks the word buttons under
the words box in turn. Each figure is the time from the click (``pointerdown``, in the
page's ``performance.now()``) to the first change of the neighbours table the kernel
sends back, so it includes the websocket round trip, the kernel's work and the page's
re-render, and excludes Playwright's own round trips. Goal: median at most 50 ms.
The keyboard slider of the same dashboard is measured by ``benchmarks/dashboards.py projector``.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # support.browser: the browser harness of the tests

from support import browser as harness  # noqa: E402

GOAL_MS = 50.0

_CLICK_JS = """() => {
  window.__elClicks = [];
  let start = null;
  document.addEventListener('pointerdown', () => { start = performance.now(); }, true);
  const root = document.querySelector('.el-neighbours').closest('.widget-html') || document.body;
  new MutationObserver(() => {
    if (start !== null) { window.__elClicks.push(performance.now() - start); start = null; }
  }).observe(root, {subtree: true, childList: true, attributes: true, characterData: true});
}"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clicks", type=int, default=30)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "course").mkdir()
        server = harness.DashboardServer(work, course_dir=work / "course")
        try:
            server.wait_until_up()
            server.wait_for_pools(["projector.ipynb"])
            server.wait_for_idle_kernels()
            with sync_playwright() as playwright:
                browser = harness.launch_chromium(playwright)
                page = browser.new_page(viewport={"width": 1280, "height": 1600})
                tti = harness.open_dashboard(page, server.url, "projector")
                page.evaluate(_CLICK_JS)
                buttons = page.locator(".widget-toggle-buttons button")
                names = buttons.all_inner_texts()
                for i in range(args.clicks):
                    # Never the selected word: clicking it again changes nothing to wait for.
                    buttons.nth((i + 1) % len(names)).click()
                    page.wait_for_function(f"() => window.__elClicks.length >= {i + 1}", timeout=10_000)
                latencies = page.evaluate("() => window.__elClicks")
                rss = harness.rss_mb(server.kernel_pid(harness.kernel_id(page)))
                browser.close()
        finally:
            server.stop()
    med = statistics.median(latencies)
    p95 = sorted(latencies)[int(0.95 * (len(latencies) - 1))]
    print(f"projector time to interactive (preheated kernel): {tti:.0f} ms")
    print(f"projector click a word -> neighbours on the page: median {med:.1f} ms, p95 {p95:.1f} ms, "
          f"max {max(latencies):.1f} ms over {len(latencies)} clicks  [{'ok' if med <= GOAL_MS else 'over goal'}, "
          f"goal {GOAL_MS:.0f} ms]")
    print(f"projector kernel memory after the clicks (VmRSS): {rss:.1f} MB  [goal 150 MB]")
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
