"""The claims the a4_training notebook makes about its two trainings, over several seeds.

They are tested with the reference functions through the same training loops the
notebook runs (``assignments/a4_training/training.py``), with margins, on seeds
0-7 (the notebook shows seeds 0-3). Over seeds 0-39 the measured ranges are:
cos(忐, 忑) 0.93-1.00 (input + output), cos(喜欢, 讨厌) 0.93-1.00 after context
training and -1.00 to -0.997 after sentiment training; ``benchmarks/training_runs.py``
prints them. No timing is asserted here.
"""
from __future__ import annotations

import importlib.util
import statistics
import sys
from pathlib import Path

import pytest

from autograder.reference import a4_training as reference

ASSIGNMENT_DIR = Path(__file__).resolve().parents[2] / "assignments" / "a4_training"
SEEDS = range(8)


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"a4_{name}", ASSIGNMENT_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


training = _load("training")


@pytest.fixture(scope="module")
def corpus():
    return training.load_corpus()


@pytest.fixture(scope="module")
def runs(corpus):
    """(context run, sentiment run) per seed, trained once for the whole module."""
    return {seed: (training.train_skipgram(corpus, reference.skipgram_pairs, reference.negative_sampling_loss, seed=seed),
                   training.train_sentiment(corpus, reference.masked_mean_pool, seed=seed))
            for seed in SEEDS}


def _cos(corpus, first, second, vectors):
    return training.word_cosine(first, second, corpus.vocab, vectors)


def test_tan_and_te_end_up_nearly_identical_after_context_training(corpus, runs):
    values = {seed: _cos(corpus, "忐", "忑", context.vectors) for seed, (context, _) in runs.items()}
    assert min(values.values()) >= 0.9, values


def test_input_plus_output_brings_co_occurring_tokens_closer_than_input_alone(corpus, runs):
    summed = [_cos(corpus, "忐", "忑", context.vectors) for context, _ in runs.values()]
    inputs = [_cos(corpus, "忐", "忑", context.input_vectors) for context, _ in runs.values()]
    assert statistics.mean(summed) > statistics.mean(inputs) + 0.03, (summed, inputs)


@pytest.fixture(scope="module")
def wide_runs(corpus):
    """The notebook's 16-dimensional context run (seed 0 there), per seed."""
    return [training.train_skipgram(corpus, reference.skipgram_pairs, reference.negative_sampling_loss,
                                    seed=seed, dim=16) for seed in SEEDS]


def test_with_16_dimensions_input_vectors_show_substitutes_and_the_sum_adds_partners(corpus, wide_runs):
    # What the notebook prints: input vectors put substitutes (猫, 狗: the same slot) together
    # and partners (忐, 忑: side by side) much less; input + output brings the partners close.
    # Measured over seeds 0-7: 猫/狗 input 0.96-1.00; 忐/忑 input 0.47-0.64, input + output 0.90-0.96.
    for run in wide_runs:
        cat_dog = _cos(corpus, "猫", "狗", run.input_vectors)
        partners_in, partners_sum = (_cos(corpus, "忐", "忑", v) for v in (run.input_vectors, run.vectors))
        assert cat_dog >= 0.9 and partners_in <= 0.75 and partners_sum >= 0.85, (cat_dog, partners_in, partners_sum)
        assert cat_dog - partners_in >= 0.25 and partners_sum - partners_in >= 0.2


def test_like_and_hate_are_close_after_context_training(corpus, runs):
    values = {seed: _cos(corpus, "喜欢", "讨厌", context.vectors) for seed, (context, _) in runs.items()}
    assert min(values.values()) >= 0.8, values


def test_like_and_hate_are_far_apart_after_sentiment_training(corpus, runs):
    values = {seed: _cos(corpus, "喜欢", "讨厌", sentiment.vectors) for seed, (_, sentiment) in runs.items()}
    assert max(values.values()) <= -0.5, values


def test_context_vectors_are_not_all_alike(corpus, runs):
    # The contrast that makes the two claims above mean something: words used in
    # different places (喜欢 and 忐忑) are not close.
    values = {seed: _cos(corpus, "喜欢", "忐忑", context.vectors) for seed, (context, _) in runs.items()}
    assert max(values.values()) <= 0.3, values


# What the dashboards and the notebook *display*, per seed (issue #13). These claims are
# what the source article says and what the text around the tables tells students; with
# the current corpus and DIM = 4 they do not hold (measured over seeds 0-4: 喜欢's nearest
# word is 下雨 for seed 0, 忐's nearest character is 点 for seeds 1 and 3, and input-only
# cos(忐, 忑) is 0.83-0.95 against 0.96-1.00 for input + output). Strict xfail: when a
# change of corpus or training makes them hold, these tests fail and the marks must go.
ISSUE_13 = pytest.mark.xfail(strict=True, reason="issue #13: a4's tables contradict its lesson")


def _dashboard_words():
    """The words of the dashboards' neighbour tables, as autograder/dashboards/make_data.py lists them."""
    make_corpus = _load("make_corpus")
    return [*make_corpus.LIKE_VERBS, *make_corpus.MOODS, "忐忑", *make_corpus.OBJECTS, *make_corpus.NERVOUS_TIMES]


def _word_table(corpus, vectors, words):
    import torch
    from widgets._cosine_model import NeighbourModel

    return NeighbourModel(words, torch.stack([training.word_vector(w, corpus.vocab, vectors) for w in words]))


@ISSUE_13
def test_like_and_hate_are_each_others_nearest_word_in_the_context_table(corpus, runs):
    words = _dashboard_words()
    tables = {seed: _word_table(corpus, context.vectors, words) for seed, (context, _) in runs.items()}
    tops = {seed: (table.neighbours("喜欢", 1)[0][0], table.neighbours("讨厌", 1)[0][0]) for seed, table in tables.items()}
    assert all(top == ("讨厌", "喜欢") for top in tops.values()), tops


@ISSUE_13
def test_te_is_tans_nearest_character_with_a_clear_margin(corpus, runs):
    from widgets._cosine_model import NeighbourModel

    tokens = sorted(corpus.vocab, key=corpus.vocab.__getitem__)
    tables = {seed: NeighbourModel(tokens, context.vectors).neighbours("忐", 2) for seed, (context, _) in runs.items()}
    assert all(t[0][0] == "忑" and t[0][1] - t[1][1] >= 0.05 for t in tables.values()), tables


@ISSUE_13
def test_input_only_is_clearly_below_input_plus_output_for_every_seed(corpus, runs):
    gaps = {seed: _cos(corpus, "忐", "忑", context.vectors) - _cos(corpus, "忐", "忑", context.input_vectors)
            for seed, (context, _) in runs.items()}
    assert min(gaps.values()) >= 0.15, gaps


def test_hate_is_at_the_bottom_of_likes_sentiment_table(corpus, runs):
    # With 4 dimensions the sentiment vectors are nearly one-dimensional: every negative
    # word sits at cosine -1.00 to 喜欢, so "the farthest" is a tie the table shows to 3 digits.
    words = _dashboard_words()
    for seed, (_, sentiment) in runs.items():
        table = dict(_word_table(corpus, sentiment.vectors, words).neighbours("喜欢", len(words) - 1))
        assert table["讨厌"] <= -0.9 and table["讨厌"] <= min(table.values()) + 0.01, (seed, table)


def test_both_trainings_learn(runs):
    for context, sentiment in runs.values():
        assert context.losses[-1] < 0.6 * context.losses[0]
        assert sentiment.losses[-1] < 0.05 < sentiment.losses[0]


def test_training_is_deterministic_for_a_seed(corpus, runs):
    again = training.train_skipgram(corpus, reference.skipgram_pairs, reference.negative_sampling_loss, seed=3)
    assert again.vectors.tolist() == runs[3][0].vectors.tolist()
    again = training.train_sentiment(corpus, reference.masked_mean_pool, seed=3)
    assert again.vectors.tolist() == runs[3][1].vectors.tolist()


def test_snapshots_run_from_step_zero_to_the_end(runs):
    context, sentiment = runs[0]
    assert [s for s, _ in context.snapshots][0] == 0 and context.snapshots[-1][0] == len(context.losses)
    assert sentiment.snapshots[-1][1].tolist() == sentiment.vectors.tolist()


def test_written_out_adam_matches_torch_optim():
    import torch
    generator = torch.Generator().manual_seed(0)
    start = torch.randn(5, 3, generator=generator)
    target = torch.randn(5, 3, generator=generator)
    ours, theirs = start.clone().requires_grad_(), start.clone().requires_grad_()
    optimizer_ours, optimizer_theirs = training.Adam([ours], lr=0.05), torch.optim.Adam([theirs], lr=0.05)
    for _ in range(20):
        ((ours - target) ** 2).sum().backward()
        optimizer_ours.step()
        optimizer_theirs.zero_grad()
        ((theirs - target) ** 2).sum().backward()
        optimizer_theirs.step()
    assert (ours - theirs).abs().max().item() < 1e-6


def test_one_thread_restores_the_thread_count():
    import torch
    before = torch.get_num_threads()
    with training.one_thread():
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before


def test_the_corpus_script_reproduces_the_committed_file():
    make_corpus = _load("make_corpus")
    assert (ASSIGNMENT_DIR / "corpus.tsv").read_text(encoding="utf-8") == make_corpus.render()


def test_the_corpus_has_the_properties_the_notebook_relies_on(corpus):
    assert len(corpus.sentences) == 336 and len(corpus.vocab) == 41
    for sentence in corpus.sentences:
        assert ("忐" in sentence) == ("忑" in sentence) == ("忐忑" in sentence)
    like = {s.replace("喜欢", "_") for s in corpus.sentences if "喜欢" in s}
    hate = {s.replace("讨厌", "_") for s in corpus.sentences if "讨厌" in s}
    assert like == hate and len(like) == 126
    labels = dict(zip(corpus.sentences, corpus.labels))
    assert all(labels[s] == 1 for s in corpus.sentences if "喜欢" in s)
    assert all(labels[s] == 0 for s in corpus.sentences if "讨厌" in s)


@pytest.mark.parametrize("content,problem", [
    ("sentence\tlabel\n", "first line"),
    ("label\tsentence\n2\t我喜欢猫\n", "line 2"),
    ("label\tsentence\n1\n", "line 2"),
    ("label\tsentence\n1\t我喜欢猫\n0\t \n", "line 3"),
])
def test_a_damaged_corpus_file_is_refused_with_the_line(tmp_path, content, problem):
    path = tmp_path / "corpus.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        training.load_corpus(path)


def test_a_broken_loss_stops_training_with_a_message(corpus):
    import torch

    def nan_loss(center, context, negatives):
        return (center * context).sum() * float("nan")

    def detached_loss(center, context, negatives):
        return torch.tensor(1.0)

    with pytest.raises(FloatingPointError, match="negative_sampling_loss is nan at step 1"):
        training.train_skipgram(corpus, reference.skipgram_pairs, nan_loss, steps=3)
    with pytest.raises(TypeError, match="attached to the graph"):
        training.train_skipgram(corpus, reference.skipgram_pairs, detached_loss, steps=3)
    with pytest.raises(FloatingPointError, match="masked_mean_pool"):
        training.train_sentiment(corpus, lambda v, m: v.sum(1) * float("nan"), steps=3)
    with pytest.raises(ValueError, match="no pairs"):
        training.train_skipgram(corpus, lambda ids, window: [], reference.negative_sampling_loss, steps=3)
