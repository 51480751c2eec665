"""The claims the a4_training notebook makes about its two trainings, over several seeds.

They are tested with the reference functions through the same training loops the
notebook runs (``assignments/a4_training/training.py``), with margins, on seeds
0-7 (the notebook shows seeds 0-3). Over seeds 0-39 (d=16, window 3) the measured
ranges are: cos(忐, 忑) 0.96-0.99 with input + output; in the input vectors
cos(喜欢, 讨厌) 0.52-0.72 and 讨厌 喜欢's nearest word for every seed, by at least 0.08;
忑 忐's nearest character by at least 0.05 for every seed but 29; after sentiment
training cos(喜欢, 讨厌) -0.999 to -0.996. Every test below holds for seeds 0-39 except
two single misses (input-only cos(忐, 忑) 0.803 for seed 13; 忐's margin for seed 29).
``benchmarks/training_runs.py`` prints them. No timing is asserted here.
"""
from __future__ import annotations

import importlib.util
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
    assert min(values.values()) >= 0.93, values


def test_input_plus_output_brings_partners_closer_than_input_alone_for_every_seed(corpus, runs):
    # The notebook's "partners" line: the input vectors alone leave 忐 and 忑 apart.
    gaps = {seed: _cos(corpus, "忐", "忑", context.vectors) - _cos(corpus, "忐", "忑", context.input_vectors)
            for seed, (context, _) in runs.items()}
    assert min(gaps.values()) >= 0.15, gaps


def test_input_vectors_put_substitutes_together_and_partners_much_less(corpus, runs):
    # The notebook's "substitutes" lines: 猫 and 狗 (one character, the same slot) nearly
    # identical, 喜欢 and 讨厌 (two characters with different partners) clearly close.
    for seed, (context, _) in runs.items():
        cat_dog, like_hate, partners = (_cos(corpus, a, b, context.input_vectors)
                                        for a, b in (("猫", "狗"), ("喜欢", "讨厌"), ("忐", "忑")))
        assert cat_dog >= 0.85 and like_hate >= 0.5 and partners <= 0.8, (seed, cat_dog, like_hate, partners)


def test_the_sum_does_not_keep_like_and_hate_together(corpus, runs):
    # What the notebook says of the input + output column: co-occurrence, and 喜欢 and
    # 讨厌 never share a sentence.
    for seed, (context, _) in runs.items():
        summed, inputs = (_cos(corpus, "喜欢", "讨厌", v) for v in (context.vectors, context.input_vectors))
        assert summed <= 0.3 and inputs - summed >= 0.3, (seed, summed, inputs)


def test_like_and_hate_are_far_apart_after_sentiment_training(corpus, runs):
    values = {seed: _cos(corpus, "喜欢", "讨厌", sentiment.vectors) for seed, (_, sentiment) in runs.items()}
    assert max(values.values()) <= -0.9, values


def test_context_vectors_are_not_all_alike(corpus, runs):
    # The contrast that makes the claims above mean something: words used in different
    # places and never together (喜欢 and 忐忑) are close in neither kind of vector.
    for seed, (context, _) in runs.items():
        values = [_cos(corpus, "喜欢", "忐忑", v) for v in (context.vectors, context.input_vectors)]
        assert max(values) <= 0.3, (seed, values)


# What the dashboards and the notebook *display*, per seed (issue #13): the neighbour
# tables, with the margins a reader sees.


def _dashboard_words():
    """The words of the dashboards' neighbour tables, as autograder/dashboards/make_data.py lists them."""
    make_corpus = _load("make_corpus")
    return [*make_corpus.LIKE_VERBS, *make_corpus.MOODS, "忐忑", *make_corpus.OBJECTS, *make_corpus.NERVOUS_TIMES]


def _word_table(corpus, vectors, words):
    import torch
    from widgets._cosine_model import NeighbourModel

    return NeighbourModel(words, torch.stack([training.word_vector(w, corpus.vocab, vectors) for w in words]))


def test_like_and_hate_are_each_others_nearest_word_in_the_input_vector_table(corpus, runs):
    words = _dashboard_words()
    for seed, (context, _) in runs.items():
        table = _word_table(corpus, context.input_vectors, words)
        (first, best), (_, runner_up) = table.neighbours("喜欢", 2)
        assert first == "讨厌" and table.neighbours("讨厌", 1)[0][0] == "喜欢", (seed, table.neighbours("喜欢", 3))
        assert best - runner_up >= 0.05, (seed, table.neighbours("喜欢", 3))


def test_like_is_nearest_to_its_objects_in_the_input_plus_output_table(corpus, runs):
    # "in input + output its nearest words are the objects it is written with"
    make_corpus = _load("make_corpus")
    words = _dashboard_words()
    for seed, (context, _) in runs.items():
        top = [w for w, _ in _word_table(corpus, context.vectors, words).neighbours("喜欢", 3)]
        assert set(top) <= set(make_corpus.OBJECTS), (seed, top)


def test_te_is_tans_nearest_character_with_a_clear_margin(corpus, runs):
    from widgets._cosine_model import NeighbourModel

    tokens = sorted(corpus.vocab, key=corpus.vocab.__getitem__)
    tables = {seed: NeighbourModel(tokens, context.vectors).neighbours("忐", 2) for seed, (context, _) in runs.items()}
    assert all(t[0][0] == "忑" and t[0][1] - t[1][1] >= 0.05 for t in tables.values()), tables


def test_hate_is_at_the_bottom_of_likes_sentiment_table(corpus, runs):
    # The sentiment vectors are nearly one-dimensional (only the label drives them): every
    # negative word sits at cosine -1.00 to 喜欢, so "the bottom" is a tie the table shows to 3 digits.
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
