"""The a4_training checks, on their own: the reference and correct variants pass
every check of their function; each wrong variant (a real misconception) fails at
least one, and keeps the points of the rules it does follow."""
from __future__ import annotations

import math

import pytest
import torch

from autograder.checks import checks_for, verdict_for
from autograder.examples.a4_training import variants
from autograder.reference import a4_training as reference

CHECKS = checks_for("a4_training")
FUNCTIONS = list(variants.CORRECT)


def _checks_of(function: str):
    return [c for c in CHECKS if c.uses == (function,)]


def _verdicts(function: str, implementation):
    return {c.name: verdict_for(c, {function: implementation}) for c in _checks_of(function)}


def test_every_check_passes_on_the_reference():
    for item in CHECKS:
        assert verdict_for(item, vars(reference)).passed, item.name


def test_every_function_has_a_visible_basic_check_and_hidden_ones():
    for function in FUNCTIONS:
        names = [c.name for c in _checks_of(function)]
        assert f"{function}_basic" in names
        assert len(names) >= 4, names


@pytest.mark.parametrize("function,variant", [(f, v) for f, vs in variants.CORRECT.items() for v in vs])
def test_correct_variants_pass_every_check(function, variant):
    failed = {name: v.message for name, v in _verdicts(function, getattr(variants, variant)).items() if not v.passed}
    assert failed == {}


@pytest.mark.parametrize("function,variant", [(f, v) for f, vs in variants.WRONG.items() for v in vs])
def test_wrong_variants_lose_points_but_not_all(function, variant):
    verdicts = _verdicts(function, getattr(variants, variant))
    failed = [name for name, v in verdicts.items() if not v.passed]
    assert failed, f"{variant} passed every check"
    assert all(verdicts[name].message for name in failed)


def test_correct_and_wrong_variant_counts():
    for function in FUNCTIONS:
        assert len(variants.CORRECT[function]) >= 3
        assert len(variants.WRONG[function]) >= 5


def test_missing_function_fails_with_a_clear_message():
    verdict = verdict_for(_checks_of("skipgram_pairs")[0], {})
    assert not verdict.passed and "skipgram_pairs" in verdict.message


def test_monkeypatched_allclose_does_not_help(monkeypatch):
    monkeypatch.setattr(torch, "allclose", lambda *a, **k: True)
    monkeypatch.setattr(torch, "equal", lambda *a, **k: True)
    verdict = verdict_for(_checks_of("masked_mean_pool")[0], {"masked_mean_pool": variants.masked_mean_pool__ignores_mask})
    assert not verdict.passed


def test_reference_loss_agrees_with_an_independent_computation():
    # micrograd-style: the reference against a float64 loop over the formula.
    g = torch.Generator().manual_seed(0)
    center, context, negatives = torch.randn(4, 3, generator=g), torch.randn(4, 3, generator=g), torch.randn(4, 2, 3, generator=g)
    total = 0.0
    for b in range(4):
        total -= math.log(1 / (1 + math.exp(-float(center[b] @ context[b]))))
        for k in range(2):
            total -= math.log(1 / (1 + math.exp(float(center[b] @ negatives[b, k]))))
    assert abs(reference.negative_sampling_loss(center, context, negatives).item() - total / 4) < 1e-5


def test_reference_pool_agrees_with_a_loop():
    vectors = torch.randn(3, 4, 2, generator=torch.Generator().manual_seed(1))
    mask = torch.tensor([[True, False, True, False], [False] * 4, [True] * 4])
    pooled = reference.masked_mean_pool(vectors, mask)
    assert torch.allclose(pooled[0], (vectors[0, 0] + vectors[0, 2]) / 2)
    assert torch.equal(pooled[1], torch.zeros(2))
    assert torch.allclose(pooled[2], vectors[2].mean(0))
