"""Regenerate the data of the student dashboards: ``python -m autograder.dashboards.make_data``.

The similarity and training dashboards show embeddings trained on a4's corpus,
once from context (skip-gram) and once from sentiment labels. Training needs
torch, and a dashboard kernel that imports torch takes about 250 MB, so the runs
are done here, ahead of time, with a4's own training loops and the reference
solutions, and saved as JSON in ``widgets/dashboards/data/``. Both runs are
seeded: running this again writes the same numbers (a test checks the committed
file is up to date).
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from autograder.course import ASSIGNMENTS_DIR
from autograder.dashboards._catalog import widgets_dashboards_dir

DATA_FILE = "embeddings.json"
DIGITS = 5
"""Decimals kept: far below anything a dashboard shows, and it keeps the file small."""


def _a4_module(name: str):
    path = ASSIGNMENTS_DIR / "a4_training" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_a4_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it executes
    spec.loader.exec_module(module)
    return module


def _rounded(matrix) -> list[list[float]]:
    return [[round(float(x), DIGITS) for x in row] for row in matrix.tolist()]


def _run_json(snapshots, training, corpus, words: list[str], sentences: list[str]) -> dict:
    import torch

    vectors = snapshots[-1][1]
    return {
        "snapshots": [[step, _rounded(weight)] for step, weight in snapshots],
        "word_vectors": _rounded(torch.stack(
            [training.word_vector(w, corpus.vocab, vectors) for w in words])),
        "sentence_vectors": _rounded(torch.stack(
            [training.word_vector(s, corpus.vocab, vectors) for s in sentences])),
    }


def build() -> dict:
    """Both training runs of a4 with the reference solutions, as plain JSON data."""
    from autograder.reference import a4_training as reference

    training, make_corpus = _a4_module("training"), _a4_module("make_corpus")
    corpus = training.load_corpus()
    # Words worth comparing: the two pairs that share their slots, 忐忑, and the objects.
    words = [*make_corpus.LIKE_VERBS, *make_corpus.MOODS, "忐忑", *make_corpus.OBJECTS,
             *make_corpus.NERVOUS_TIMES]
    sentences = sorted(set(corpus.sentences), key=corpus.sentences.index)
    context = training.train_skipgram(corpus, reference.skipgram_pairs,
                                      reference.negative_sampling_loss)
    sentiment = training.train_sentiment(corpus, reference.masked_mean_pool)
    return {
        "about": "a4_training's corpus, trained by a4's loops with the reference solutions; "
                 "regenerate with python -m autograder.dashboards.make_data",
        "tokens": sorted(corpus.vocab, key=corpus.vocab.__getitem__),
        "words": words,
        "sentences": sentences,
        # The two views of one skip-gram run (a4 prints both): input vectors show which
        # tokens fill the same slots, input + output also which are written together.
        "context_input": _run_json(context.input_snapshots, training, corpus, words, sentences),
        "context": _run_json(context.snapshots, training, corpus, words, sentences),
        "sentiment": _run_json(sentiment.snapshots, training, corpus, words, sentences),
    }


def render(data: dict) -> str:
    # One snapshot row per line would be long; compact JSON keeps the file ~250 KB.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def main(out_dir: Path | None = None) -> Path:
    out = (out_dir or widgets_dashboards_dir() / "data") / DATA_FILE
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(build()), encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
    return out


if __name__ == "__main__":
    main()
