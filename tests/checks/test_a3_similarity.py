"""a3_similarity checks: the reference passes them, correct variants pass, wrong variants
fail exactly the cells they should, and the reference agrees with independent computations."""
from __future__ import annotations

import pytest
import torch

import autograder.reference.a3_similarity as ref
from autograder.checks import checks_for, verdict_for
from autograder.examples.variants import (
    expected_failures, namespace_with, variant_functions, variant_module, variant_names,
)

A = "a3_similarity"
CHECKS = checks_for(A)
FUNCTIONS = ["cosine_similarity", "cosine_matrix", "most_similar", "sentence_vector"]
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
    namespace = namespace_with(A, "cosine_matrix", "wrong_dot_products")
    monkeypatch.setattr(torch, "allclose", lambda *a, **k: True)
    monkeypatch.setattr(torch, "equal", lambda *a, **k: True)
    assert not verdict_for(next(c for c in CHECKS if c.name == "cosine_matrix_basic"), namespace).passed


def test_an_object_equal_to_everything_is_not_accepted():
    class EqualToEverything:
        shape = ()
        dtype = torch.float32

        def __eq__(self, other):
            return True

    namespace = dict(vars(ref))
    namespace["cosine_similarity"] = lambda *args, **kwargs: EqualToEverything()
    assert not verdict_for(next(c for c in CHECKS if c.name == "cosine_similarity_basic"), namespace).passed


def test_failure_messages_do_not_print_expected_values():
    messages = failed_checks(namespace_with(A, "cosine_similarity", "wrong_dot_only"))
    expected = ref.cosine_similarity(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([2.0, 4.0, 6.0])).item()
    assert f"{expected:.3f}" not in messages["cosine_similarity_basic"]
    assert "vectors pointing the same way have cosine 1" in messages["cosine_similarity_basic"]


def test_reference_agrees_with_an_independent_computation():
    # micrograd-style: the reference against torch's own cosine, in float64.
    vectors = torch.randn(6, 5, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    independent = torch.nn.functional.cosine_similarity(vectors[:, None], vectors[None, :], dim=-1)
    assert (ref.cosine_matrix(vectors) - independent).abs().max() < 1e-12
    for i in range(6):
        for j in range(6):
            assert abs(ref.cosine_similarity(vectors[i], vectors[j]) - independent[i, j]) < 1e-12
    neighbours = ref.most_similar("b", {t: i for i, t in enumerate("abcdef")}, vectors, k=5)
    want = sorted(independent[1, [0, 2, 3, 4, 5]].tolist(), reverse=True)
    assert max(abs(s - w) for (_, s), w in zip(neighbours, want)) < 1e-12
