"""Latency of the widgets: from a control's new value to the view updated.

Prints, for each widget and control, the median and 95th percentile time from
setting the value to the observers having re-rendered the view (V = 50, d = 16),
and the bytes of widget state each update sends to the browser. Two ways of
setting a value are timed:

- ``.value =``: the Python assignment (what the view tests do);
- ``browser``: the "update" comm message a browser sends when a user moves the
  control, handled by ipywidgets exactly as in a kernel.

Every comm message is JSON-encoded as a kernel would, so serialisation is in the
figures; the websocket and browser layout are not (no browser here). The goal is
<= 5 ms per update. Run: ``.venv/bin/python benchmarks/widgets_latency.py [--repeats N]``.

``--browser`` also measures the whole round trip a user sees: a LookupExplorer
(V = 50, d = 16) served by Voila in headless chromium, from the key press that moves
the token slider to the result vector of the new token in the page (browser ->
websocket -> kernel -> observers -> websocket -> DOM).
"""
from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import comm
import numpy as np
import torch

V, D, SNAPSHOTS = 50, 16, 30


class MeasuringComm(comm.DummyComm):
    """A comm that JSON-encodes what it would send and counts the bytes."""

    sent_bytes = 0

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        MeasuringComm.sent_bytes += len(json.dumps(data, ensure_ascii=False).encode())


comm.create_comm = MeasuringComm           # before any widget is created

import widgets  # noqa: E402  (must follow the comm replacement)
from ipywidgets.widgets.widget_selection import _Selection  # noqa: E402


def from_browser(control, value) -> None:
    """What ipywidgets does when the frontend reports a new value."""
    # Selection widgets (toggle buttons, radio buttons, dropdowns) sync the index, not the value.
    state = ({"index": control._options_values.index(value)} if isinstance(control, _Selection)
             else {"value": value})
    control._handle_msg({"content": {"data": {"method": "update", "state": state,
                                              "buffer_paths": []}}, "buffers": []})


def measure(control, values, how, repeats: int) -> tuple[list[float], float]:
    """Times (ms) of ``repeats`` updates cycling through ``values``, and mean bytes sent."""
    cycle = itertools.cycle(values)
    for _ in range(min(20, repeats)):       # warm up caches and code paths
        _set(control, next(cycle), how)
    gc.collect()
    times, MeasuringComm.sent_bytes = [], 0
    for _ in range(repeats):
        value = next(cycle)
        start = time.perf_counter_ns()
        _set(control, value, how)
        times.append((time.perf_counter_ns() - start) / 1e6)
        # ipywidgets logs and swallows errors in message handlers: make sure it really updated.
        assert control.value == value, f"{control!r} did not take {value!r}"
    return times, MeasuringComm.sent_bytes / repeats


def _set(control, value, how) -> None:
    if how == "value":
        control.value = value
    else:
        from_browser(control, value)


def scenarios():
    """(widget, control name, control, values to cycle through); each value differs from the last."""
    generator = torch.Generator().manual_seed(0)
    sentence = "".join(chr(0x4E00 + i) for i in range(V))
    other_sentence = "".join(chr(0x4E00 + V + i) for i in range(V))
    lookup = widgets.LookupExplorer(sentence, dim=D)
    yield "LookupExplorer", "index_slider", lookup.index_slider, list(range(V))
    yield "LookupExplorer", "mode_toggle", lookup.mode_toggle, list(lookup.mode_toggle.options)
    yield "LookupExplorer", "dim_slider (whole W)", lookup.dim_slider, [D - 1, D]
    yield "LookupExplorer", "sentence_box (whole W)", lookup.sentence_box, [other_sentence, sentence]

    cosine = widgets.CosineExplorer()
    yield "CosineExplorer", "angle_b_slider", cosine.angle_b_slider, [float(a) for a in range(-90, 90, 7)]
    yield "CosineExplorer", "length_a_slider", cosine.length_a_slider, [0.5, 1.0, 1.5, 2.0]

    tokens = [chr(0x4E00 + i) for i in range(V)]
    table = widgets.NeighbourTable(tokens, torch.randn(V, D, generator=generator), k=5)
    yield "NeighbourTable", "token_dropdown", table.token_dropdown, tokens
    yield "NeighbourTable", "k_slider", table.k_slider, [3, 5, 10]

    start = torch.randn(V, D, generator=generator)
    snapshots = [(10 * s, start * (1 + s / SNAPSHOTS) + 0.1 * s) for s in range(SNAPSHOTS)]
    training = widgets.TrainingView(snapshots, tokens, highlight=tokens[:2])
    yield "TrainingView", "step_slider", training.step_slider, list(range(SNAPSHOTS))

    quiz = widgets.Quiz("?", ["(V, d)", "(d, V)", "(V,)"], name="quiz_demo", namespace={})
    yield "Quiz (graded)", "choice_buttons", quiz.choice_buttons, ["a", "b", "c"]


def first_visit_ms() -> list[float]:
    """TrainingView's first render of each step (not yet cached)."""
    generator = torch.Generator().manual_seed(1)
    tokens = [chr(0x4E00 + i) for i in range(V)]
    snapshots = [(s, torch.randn(V, D, generator=generator)) for s in range(SNAPSHOTS)]
    view = widgets.TrainingView(snapshots, tokens, highlight=tokens[:2])
    times = []
    for step in range(1, SNAPSHOTS):
        start = time.perf_counter_ns()
        view.step_slider.value = step
        times.append((time.perf_counter_ns() - start) / 1e6)
    return times


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Resolves with the ms from the next keydown to `selector` showing data-index == expected.
_ROUND_TRIP_JS = """([selector, expected]) => { window.__roundTrip = new Promise(resolve => {
  let t0 = null;
  document.addEventListener("keydown", () => { t0 = performance.now(); }, {capture: true, once: true});
  const observer = new MutationObserver(() => {
    const shown = document.querySelector(selector);
    if (t0 !== null && shown && shown.dataset.index === String(expected)) {
      observer.disconnect(); resolve(performance.now() - t0); }
  });
  observer.observe(document.body, {childList: true, subtree: true});
}); }"""
# The same round trip for the smallest possible widget: the infrastructure's share.
_BASELINE_CELL = """import ipywidgets as w
baseline, shown = w.IntSlider(max=49, description="baseline"), w.HTML()
baseline.observe(lambda c: setattr(shown, "value", f'<i class="el-baseline" data-index="{c.new}"></i>'),
                 names="value")
w.VBox([baseline, shown])"""


def browser_round_trips(presses: int) -> dict[str, list[float]]:
    """Key presses on a slider in Voila, each timed until the kernel's update is shown.

    Two sliders: LookupExplorer's token slider (until the new result vector is shown)
    and a bare IntSlider -> HTML baseline (the websocket + kernel share of the figure).
    """
    import nbformat
    from playwright.sync_api import sync_playwright

    cells = [f"from widgets import LookupExplorer\n"
             f"LookupExplorer({''.join(chr(0x4E00 + i) for i in range(V))!r}, dim={D})",
             _BASELINE_CELL]
    with tempfile.TemporaryDirectory() as tmp:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, Path(tmp) / "bench.ipynb")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {**os.environ, "JUPYTER_RUNTIME_DIR": f"{tmp}/runtime", "JUPYTER_CONFIG_DIR": f"{tmp}/config"}
        server = subprocess.Popen([sys.executable, "-m", "voila", "bench.ipynb", "--no-browser",
                                   f"--port={port}", "--Voila.ip=127.0.0.1"], cwd=tmp, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                     args=CHROMIUM_ARGS)
                page = browser.new_page()
                for _ in range(120):                      # wait for Voila to listen
                    try:
                        page.goto(f"http://127.0.0.1:{port}/")
                        break
                    except Exception:
                        time.sleep(0.5)
                page.wait_for_selector('.el-result[data-index="0"]', timeout=120_000)
                times = {label: _press_and_time(page, label, selector, presses)
                         for label, selector in [("token index", ".el-result"),
                                                 ("baseline", ".el-baseline")]}
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    return times


def _press_and_time(page, label: str, selector: str, presses: int) -> list[float]:
    slider = page.locator(".widget-slider", has=page.locator("label", has_text=label))
    slider.locator(".noUi-handle").focus()
    times, index = [], 0
    for press in range(presses):
        key = "ArrowRight" if (press // (V - 1)) % 2 == 0 else "ArrowLeft"
        index += 1 if key == "ArrowRight" else -1
        page.evaluate(_ROUND_TRIP_JS, [selector, index])
        page.keyboard.press(key)
        times.append(page.evaluate("() => window.__roundTrip"))
    return times[5:]                                       # the first presses warm up


def p95(times: list[float]) -> float:
    return float(np.percentile(times, 95))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=300, help="updates timed per control")
    parser.add_argument("--browser", action="store_true",
                        help="also time the full round trip in Voila + headless chromium")
    args = parser.parse_args()
    print(f"widgets latency, V={V}, d={D}, {args.repeats} updates per control; "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"{'widget':16} {'control':24} {'.value= median':>14} {'p95':>7} "
          f"{'browser median':>14} {'p95':>7} {'bytes/update':>12}")
    worst = 0.0
    for widget, name, control, values in scenarios():
        by_value, sent = measure(control, values, "value", args.repeats)
        by_browser, _ = measure(control, values, "browser", args.repeats)
        worst = max(worst, statistics.median(by_value), statistics.median(by_browser))
        print(f"{widget:16} {name:24} {statistics.median(by_value):11.3f} ms {p95(by_value):7.3f} "
              f"{statistics.median(by_browser):11.3f} ms {p95(by_browser):7.3f} {sent:12.0f}")
    first = first_visit_ms()
    print(f"{'TrainingView':16} {'step (first visit)':24} {statistics.median(first):11.3f} ms "
          f"{p95(first):7.3f}")
    print(f"worst median: {worst:.3f} ms (goal <= 5 ms)")
    if args.browser:
        trips = browser_round_trips(presses=100)
        print(f"Voila + chromium, key press on a slider -> kernel's update shown "
              f"({len(trips['baseline'])} presses; load average {os.getloadavg()[0]:.2f}):")
        for label, name in [("token index", "LookupExplorer token slider -> result"),
                            ("baseline", "bare IntSlider -> HTML (baseline)")]:
            print(f"  {name:40} median {statistics.median(trips[label]):6.1f} ms, "
                  f"p95 {p95(trips[label]):6.1f} ms")


if __name__ == "__main__":
    main()
