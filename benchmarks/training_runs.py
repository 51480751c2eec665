"""How long a4_training's two training runs take on one CPU core, and what they learn.

    .venv/bin/python benchmarks/training_runs.py [--seeds 10] [--repeats 3] [--dim D --window W ...]

Each run (skip-gram with negative sampling; the sentiment classifier) is timed
with the reference functions on one thread (``torch.set_num_threads(1)``, as the
training loops themselves do); the goal is at most 3 s per run. The first run of
the process is reported separately, since it pays one-off costs (allocator, lazy
initialisation). Then the cosine similarities the notebook talks about, over seeds.
Last, per seed, what the neighbour tables show (the dashboards' word list): 喜欢's and
讨厌's nearest words in the input vectors, 喜欢's in input + output, 忐's nearest
characters (input + output) and the margin of the first over the second.
``--dim``, ``--window``, ``--negatives``, ``--steps`` and ``--lr`` override
train_skipgram's defaults (``--dim`` also the sentiment run's), to measure other
settings without editing training.py.
Timings depend on the machine and its load: read them with ``uptime`` in mind.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from autograder.reference import a4_training as reference  # noqa: E402


def load_training():
    spec = importlib.util.spec_from_file_location("a4_training_loops", REPO / "assignments" / "a4_training" / "training.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10, help="seeds for the cosine summary (default 10)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each training (default 3)")
    for name, kind in (("dim", int), ("window", int), ("negatives", int), ("steps", int), ("lr", float)):
        parser.add_argument(f"--{name}", type=kind, help=f"train_skipgram's {name} (default: its own)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    training = load_training()
    corpus = training.load_corpus()
    options = {k: getattr(args, k) for k in ("dim", "window", "negatives", "steps", "lr") if getattr(args, k) is not None}
    skipgram = lambda seed: training.train_skipgram(  # noqa: E731
        corpus, reference.skipgram_pairs, reference.negative_sampling_loss, seed=seed, **options)
    sentiment = lambda seed: training.train_sentiment(  # noqa: E731
        corpus, reference.masked_mean_pool, seed=seed, **({"dim": args.dim} if args.dim else {}))

    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread, load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"corpus: {len(corpus.sentences)} sentences, {len(corpus.vocab)} characters, "
          f"d={args.dim or training.DIM}, skip-gram options {options or 'default'}")
    for name, run in (("skip-gram (300 steps)", skipgram), ("sentiment (200 steps)", sentiment)):
        _, first = timed(lambda: run(0))
        times = [timed(lambda: run(seed))[1] for seed in range(1, args.repeats + 1)]
        print(f"{name:<22} first run {first:.3f} s; then median {statistics.median(times):.3f} s, "
              f"max {max(times):.3f} s over {len(times)} runs (goal <= 3 s)")

    tables = []
    rows = {"cos(忐, 忑) input + output": [], "cos(忐, 忑) input only": [],
            "cos(猫, 狗) input only": [], "cos(喜欢, 讨厌) input only": [], "cos(喜欢, 讨厌) input + output": [],
            "cos(喜欢, 讨厌) sentiment": [], "cos(喜欢, 忐忑) input + output": []}
    for seed in range(args.seeds):
        context, labels = skipgram(seed), sentiment(seed)
        cos = lambda a, b, v: training.word_cosine(a, b, corpus.vocab, v)  # noqa: E731
        rows["cos(忐, 忑) input + output"].append(cos("忐", "忑", context.vectors))
        rows["cos(忐, 忑) input only"].append(cos("忐", "忑", context.input_vectors))
        rows["cos(猫, 狗) input only"].append(cos("猫", "狗", context.input_vectors))
        rows["cos(喜欢, 讨厌) input only"].append(cos("喜欢", "讨厌", context.input_vectors))
        rows["cos(喜欢, 讨厌) input + output"].append(cos("喜欢", "讨厌", context.vectors))
        rows["cos(喜欢, 讨厌) sentiment"].append(cos("喜欢", "讨厌", labels.vectors))
        rows["cos(喜欢, 忐忑) input + output"].append(cos("喜欢", "忐忑", context.vectors))
        tables.append(shown_tables(training, corpus, context))
    print(f"\nover seeds 0-{args.seeds - 1}:")
    for name, values in rows.items():
        print(f"  {name:<32} min {min(values):+.3f}  median {statistics.median(values):+.3f}  max {max(values):+.3f}")
    print("\nwhat the context neighbour tables show, per seed:")
    for seed, line in enumerate(tables):
        print(f"  seed {seed}: {line}")


def shown_tables(training, corpus, context) -> str:
    """What the tables show: 喜欢's and 讨厌's top words (input vectors), 喜欢's (input +
    output), 忐's top characters (input + output) and the margin of the first over the second."""
    spec = importlib.util.spec_from_file_location("a4_make_corpus", REPO / "assignments" / "a4_training" / "make_corpus.py")
    make_corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_corpus)
    words = [*make_corpus.LIKE_VERBS, *make_corpus.MOODS, "忐忑", *make_corpus.OBJECTS, *make_corpus.NERVOUS_TIMES]
    unit = lambda m: m / m.norm(dim=1, keepdim=True)  # noqa: E731
    word_vectors = lambda v: unit(torch.stack([training.word_vector(w, corpus.vocab, v) for w in words]))  # noqa: E731

    def top(items, matrix, item, k):
        cosines = matrix @ matrix[items.index(item)]
        order = [int(j) for j in torch.argsort(-cosines) if items[int(j)] != item][:k]
        return [(items[j], cosines[j].item()) for j in order]

    listed = lambda pairs: ", ".join(f"{w} {c:.2f}" for w, c in pairs)  # noqa: E731
    inputs, summed = word_vectors(context.input_vectors), word_vectors(context.vectors)
    like, hate = top(words, inputs, "喜欢", 2), top(words, inputs, "讨厌", 1)
    tokens = sorted(corpus.vocab, key=corpus.vocab.__getitem__)
    tan = top(tokens, unit(context.vectors), "忐", 2)
    return (f"input: 喜欢 -> {listed(like)}; 讨厌 -> {listed(hate)} | input + output: 喜欢 -> "
            f"{listed(top(words, summed, '喜欢', 2))}; 忐 -> {tan[0][0]} {tan[0][1]:.3f}, {tan[1][0]} "
            f"{tan[1][1]:.3f} (margin {tan[0][1] - tan[1][1]:.3f})")


if __name__ == "__main__":
    main()
