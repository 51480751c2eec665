"""The a3_similarity checks, on their own: the reference and correct variants pass
every check of their function; each wrong variant (a real misconception) fails at
least one, and keeps the points of the rules it does follow."""
from __future__ import annotations

import pytest
import torch

from autograder.checks import checks_for, verdict_for
from autograder.examples.a3_similarity import variants
from autograder.reference import a3_similarity as reference

CHECKS = checks_for("a3_similarity")
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
    verdict = verdict_for(_checks_of("cosine_similarity")[0], {})
    assert not verdict.passed and "cosine_similarity" in verdict.message


def test_an_object_equal_to_everything_is_not_accepted():
    class Sneaky:
        def __eq__(self, other):
            return True
        shape = ()
        dtype = torch.float32

    verdict = verdict_for(_checks_of("cosine_similarity")[0], {"cosine_similarity": lambda a, b, eps=1e-8: Sneaky()})
    assert not verdict.passed


def test_monkeypatched_allclose_does_not_help(monkeypatch):
    monkeypatch.setattr(torch, "allclose", lambda *a, **k: True)
    monkeypatch.setattr(torch, "equal", lambda *a, **k: True)
    verdict = verdict_for(_checks_of("cosine_matrix")[0], {"cosine_matrix": variants.cosine_matrix__dot_products})
    assert not verdict.passed


def test_failure_messages_do_not_print_expected_values():
    verdict = verdict_for(_checks_of("cosine_similarity")[0], {"cosine_similarity": variants.cosine_similarity__dot_only})
    assert not verdict.passed
    expected = reference.cosine_similarity(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([2.0, 4.0, 6.0]))
    assert f"{expected.item():.4f}" not in verdict.message


def test_reference_agrees_with_an_independent_computation():
    # micrograd-style: the reference against torch's own cosine on random data.
    vectors = torch.randn(6, 5, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    independent = torch.nn.functional.cosine_similarity(vectors[:, None], vectors[None, :], dim=-1)
    assert (reference.cosine_matrix(vectors) - independent).abs().max() < 1e-12
    for i in range(6):
        for j in range(6):
            assert abs(reference.cosine_similarity(vectors[i], vectors[j]) - independent[i, j]) < 1e-12
