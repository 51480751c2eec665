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
"""
from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import statistics
import time

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


def p95(times: list[float]) -> float:
    return float(np.percentile(times, 95))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=300, help="updates timed per control")
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


if __name__ == "__main__":
    main()
