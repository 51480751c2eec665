"""How fast a5's queries are on the shipped GloVe vectors, on one core, and what the Projector holds.

    .venv/bin/python benchmarks/glove_queries.py [--repeats 50]

Figures (medians over ``repeats`` queries on different words, the worst in brackets):

- ``nearest over all 400,000 rows``: a5's reference ``nearest`` on every row of the file
  as given (each call computes every row's norm, then one matrix-vector product and a
  top-k), and ``analogy`` likewise;
- the Projector's own query (numpy) over all 400,000 rows normalised once, and over the
  50,000 words it serves;
- ``Projector click`` / ``slider`` / ``words``: setting a control's ``.value`` until the
  view's HTML is rebuilt (kernel side only; ``benchmarks/dashboards.py projector``
  measures the browser round trip);
- the memory of a process that builds the default Projector (``VmRSS``; the kernel of
  the dashboard adds ipykernel's own ~35 MB, measured by ``benchmarks/dashboards.py``).

torch and numpy are limited to one thread, so "one core" is what is measured.
"""
from __future__ import annotations

import argparse
import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before numpy/torch load their BLAS
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

WORDS = ["beijing", "king", "good", "computer", "river", "music", "france", "doctor", "happy", "water"]
GOAL_QUERY_MS, GOAL_CLICK_MS, GOAL_RSS_MB = 20.0, 50.0, 150.0


def timed(fn, args_list) -> list[float]:
    out = []
    for args in args_list:
        start = time.perf_counter()
        fn(*args)
        out.append((time.perf_counter() - start) * 1000)
    return out


def line(label: str, ms: list[float], goal: float | None = None) -> str:
    med = statistics.median(ms)
    verdict = "" if goal is None else (f"  [ok, goal {goal:.0f} ms]" if med <= goal else f"  [over goal {goal:.0f} ms]")
    return f"{label:58s} {med:7.2f} ms (worst {max(ms):7.2f}){verdict}"


def projector_rss() -> float:
    """VmRSS of a fresh process once the default Projector is built (MB)."""
    code = ("from widgets import Projector; p = Projector(); p.word_buttons.value = 'china'; "
            "import re; print(int(re.search(r'VmRSS:\\s+(\\d+)', open('/proc/self/status').read()).group(1)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    return int(done.stdout.split()[-1]) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args(argv)
    import numpy as np
    import torch

    torch.set_num_threads(1)
    import autograder.reference.a5_pretrained as ref
    from widgets import Projector
    from widgets._glove import glove_numpy, load_glove
    from widgets._projector_model import ProjectorModel

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs; "
          f"torch threads {torch.get_num_threads()}")
    queries = [WORDS[i % len(WORDS)] for i in range(args.repeats)]
    start = time.perf_counter()
    vocab, vectors = load_glove(None)
    print(f"load_glove(None): {time.perf_counter() - start:.2f} s for {vectors.shape[0]:,} x {vectors.shape[1]}")
    print(line("nearest(word, k=10) over all 400,000 rows (a5 reference)",
               timed(lambda w: ref.nearest(w, vocab, vectors, 10), [(w,) for w in queries]), GOAL_QUERY_MS))
    print(line("analogy(a, b, c, k=5), 400,000 raw rows (reference)",
               timed(lambda w: ref.analogy("man", w, "woman", vocab, vectors, 5), [(w,) for w in queries])))
    words_np, rows = glove_numpy(None)
    everything = ProjectorModel(list(words_np), rows)
    print(line("Projector model neighbours(word, 10), all 400,000 rows",
               timed(everything.neighbours, [(w, 10) for w in queries]), GOAL_QUERY_MS))
    del everything
    view = Projector()
    print(line("Projector model neighbours(word, 10), the 50,000 served",
               timed(view.model.neighbours, [(w, 10) for w in queries]), GOAL_QUERY_MS))
    view.words_text.value = "beijing china paris france tokyo japan berlin germany rome italy moscow russia"
    shown = list(view.word_buttons.options)
    print(line("Projector click a word (.value -> map + neighbours redrawn)",
               timed(lambda w: setattr(view.word_buttons, "value", w), [(shown[i % len(shown)],) for i in range(args.repeats)]),
               GOAL_CLICK_MS))
    print(line("Projector neighbours slider (.value -> redrawn)",
               timed(lambda k: setattr(view.k_slider, "value", k), [(5 + i % 10,) for i in range(args.repeats)]),
               GOAL_CLICK_MS))
    sets = ["king queen man woman prince princess", "good bad love hate hot cold", shown and " ".join(shown)]
    print(line("Projector type words (.value -> map, axis redrawn)",
               timed(lambda t: setattr(view.words_text, "value", t), [(sets[i % 3],) for i in range(args.repeats)]),
               GOAL_CLICK_MS))
    print(line("Projector analogy box (.value -> answer redrawn)",
               timed(lambda w: setattr(view.analogy_b, "value", w), [(w,) for w in queries]), GOAL_CLICK_MS))
    rss = projector_rss()
    print(f"{'memory of a process holding the default Projector (VmRSS)':58s} {rss:7.1f} MB"
          f"  [{'ok' if rss <= GOAL_RSS_MB else 'over goal'}, goal {GOAL_RSS_MB:.0f} MB in the kernel]")
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
