"""a4_training checks: the reference passes them, correct variants pass, wrong variants
fail exactly the cells they should, and the reference agrees with independent computations."""
from __future__ import annotations

import math
import re

import pytest
import torch

import autograder.reference.a4_training as ref
from autograder.checks import checks_for, verdict_for
from autograder.examples.variants import (
    expected_failures, namespace_with, variant_functions, variant_module, variant_names,
)

A = "a4_training"
CHECKS = checks_for(A)
FUNCTIONS = ["skipgram_pairs", "negative_sampling_loss", "masked_mean_pool"]
VARIANTS = [(f, v) for f in variant_functions(A) for v in variant_names(A, f, "correct_") + variant_names(A, f, "wrong_")]


def failed_checks(namespace: dict) -> dict[str, str]:
    return {item.name: verdict.message for item in CHECKS
            if not (verdict := verdict_for(item, namespace)).passed}


def test_every_function_has_variants_enough():
    assert variant_functions(A) == sorted(FUNCTIONS)
    for function in FUNCTIONS:
        assert len(variant_names(A, function, "correct_")) >= 3, function
        wrong = variant_names(A, function, "wrong_")
        assert len(wrong) >= 5, function
        module = variant_module(A, function)
        assert set(module.EXPECTED_FAILURES) == set(wrong), function
        for name in wrong:
            assert getattr(module, name).__doc__, f"{function}.{name} needs a docstring naming its misconception"


def test_reference_passes_every_check():
    assert failed_checks(vars(ref)) == {}


def test_every_function_has_a_visible_basic_cell_and_several_rule_cells():
    names = {c.name for c in CHECKS}
    for function in FUNCTIONS:
        own = {n for n in names if n.startswith(function + "_")}
        assert f"{function}_basic" in own and len(own) >= 4, (function, own)
    assert len([n for n in names if n.startswith("quiz_")]) >= 3


@pytest.mark.parametrize(("function", "variant"), VARIANTS, ids=[f"{f}-{v}" for f, v in VARIANTS])
def test_variant_fails_exactly_the_expected_cells(function, variant):
    failed = failed_checks(namespace_with(A, function, variant))
    assert set(failed) == expected_failures(A, function, variant), failed
    assert all(failed.values())  # every failure says something


def test_wrong_variants_keep_some_points_mostly():
    # Partial credit: most misconceptions break one rule, not every cell of the function.
    kept = []
    for function in FUNCTIONS:
        own = {c.name for c in CHECKS if c.name.startswith(function + "_")}
        for name in variant_names(A, function, "wrong_"):
            kept.append(len(own - expected_failures(A, function, name)) > 0)
    assert sum(kept) >= 0.75 * len(kept)


def test_missing_function_is_reported_by_name():
    function = FUNCTIONS[0]
    namespace = {k: v for k, v in vars(ref).items() if k != function}
    verdict = verdict_for(next(c for c in CHECKS if c.name == f"{function}_basic"), namespace)
    assert not verdict.passed and f"`{function}` is not defined" in verdict.message


def test_monkeypatched_comparisons_do_not_help(monkeypatch):
    namespace = namespace_with(A, "masked_mean_pool", "wrong_ignores_mask")
    monkeypatch.setattr(torch, "allclose", lambda *a, **k: True)
    monkeypatch.setattr(torch, "equal", lambda *a, **k: True)
    assert not verdict_for(next(c for c in CHECKS if c.name == "masked_mean_pool_basic"), namespace).passed


def test_an_object_equal_to_everything_is_not_accepted():
    class EqualToEverything:
        shape = ()
        dtype = torch.float32

        def __eq__(self, other):
            return True

    namespace = dict(vars(ref))
    namespace["skipgram_pairs"] = lambda *args, **kwargs: EqualToEverything()
    assert not verdict_for(next(c for c in CHECKS if c.name == "skipgram_pairs_basic"), namespace).passed


def test_reference_loss_agrees_with_the_formula_in_plain_python():
    g = torch.Generator().manual_seed(0)
    center, context = torch.randn(4, 3, generator=g), torch.randn(4, 3, generator=g)
    negatives = torch.randn(4, 2, 3, generator=g)
    total = 0.0
    for b in range(4):
        total -= math.log(1 / (1 + math.exp(-float(center[b] @ context[b]))))
        for k in range(2):
            total -= math.log(1 / (1 + math.exp(float(center[b] @ negatives[b, k]))))
    assert abs(ref.negative_sampling_loss(center, context, negatives).item() - total / 4) < 1e-5


def test_reference_pool_agrees_with_a_loop():
    vectors = torch.randn(3, 4, 2, generator=torch.Generator().manual_seed(1))
    mask = torch.tensor([[True, False, True, False], [False] * 4, [True] * 4])
    pooled = ref.masked_mean_pool(vectors, mask)
    assert (pooled[0] - (vectors[0, 0] + vectors[0, 2]) / 2).abs().max() < 1e-6
    assert pooled[1].tolist() == [0.0, 0.0]
    assert (pooled[2] - vectors[2].mean(0)).abs().max() < 1e-6


def test_reference_pairs_match_the_definition():
    ids = [3, 1, 4, 1, 5]
    expected = [(ids[i], ids[j]) for i in range(5) for j in range(5) if 0 < abs(i - j) <= 2]
    assert ref.skipgram_pairs(ids, 2) == expected and len(expected) == 14  # the quiz's answer


def test_failure_messages_say_what_is_wrong_without_expected_values():
    messages = failed_checks(namespace_with(A, "negative_sampling_loss", "wrong_log_of_sigmoid"))
    assert "logsigmoid" in messages["negative_sampling_loss_extreme"]
    messages = failed_checks(namespace_with(A, "negative_sampling_loss", "wrong_sum_over_batch"))
    assert "mean over the batch" in messages["negative_sampling_loss_batch_mean"]
    assert re.search(r"\d\.\d", messages["negative_sampling_loss_batch_mean"]) is None  # no expected number
    messages = failed_checks(namespace_with(A, "skipgram_pairs", "wrong_nearest_first"))
    assert "ascending order" in messages["skipgram_pairs_order"]
    assert "), (" not in messages["skipgram_pairs_order"]  # no expected pair list


@pytest.mark.parametrize(("answers", "lost"), [
    ({"phone_one_hot_bytes": 1024 * 500}, {"phone_one_hot_bytes_answer"}),            # forgot 4 bytes a float
    ({"phone_embedding_bytes": 1024 * 12 * 4.0}, {"phone_embedding_bytes_answer"}),   # a float, not an int
    ({"phone_one_hot_bytes": 1024 * 12 * 4, "phone_embedding_bytes": 1024 * 500 * 4},
     {"phone_one_hot_bytes_answer", "phone_embedding_bytes_answer"}),                 # swapped
])
def test_phone_exercise_gives_partial_credit(answers, lost):
    """Each of the two sizes is its own graded cell: one right answer keeps its point."""
    namespace = {**vars(ref), **answers}
    assert set(failed_checks(namespace)) == lost
