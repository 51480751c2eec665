"""a2_linear checks: the reference passes them, correct variants pass, wrong variants
fail exactly the cells they should, and the reference agrees with independent computations."""
from __future__ import annotations

import pytest
import torch
from torch import nn

import autograder.reference.a2_linear as ref
from autograder.checks import checks_for, verdict_for
from autograder.examples.variants import (
    expected_failures, namespace_with, variant_functions, variant_module, variant_names,
)

A = "a2_linear"
CHECKS = checks_for(A)
FUNCTIONS = ["embedding_to_linear", "linear_to_embedding", "embedding_weight_grad"]
VARIANTS = [(f, v) for f in variant_functions(A) for v in variant_names(A, f, "correct_") + variant_names(A, f, "wrong_")]


def failed_checks(namespace: dict) -> dict[str, str]:
    out = {}
    for item in CHECKS:
        verdict = verdict_for(item, namespace)
        if not verdict.passed:
            out[item.name] = verdict.message
    return out


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


def test_every_function_has_several_cells_and_there_are_quizzes():
    names = {c.name for c in CHECKS}
    for function in FUNCTIONS:
        own = {n for n in names if n.startswith(function + "_")}
        assert f"{function}_basic" in own and len(own) >= 3, (function, own)
    assert len([n for n in names if n.startswith("quiz_")]) >= 3


@pytest.mark.parametrize(("function", "variant"), VARIANTS, ids=[f"{f}-{v}" for f, v in VARIANTS])
def test_variant_fails_exactly_the_expected_cells(function, variant):
    failed = failed_checks(namespace_with(A, function, variant))
    assert set(failed) == expected_failures(A, function, variant), failed


def test_failure_messages_name_the_misconception():
    messages = failed_checks(namespace_with(A, "embedding_to_linear", "wrong_shared_view"))
    assert "own copy" in messages["embedding_to_linear_independent"]
    messages = failed_checks(namespace_with(A, "linear_to_embedding", "wrong_removes_bias"))
    assert "should raise ValueError" in messages["linear_to_embedding_bias_error"]
    messages = failed_checks(namespace_with(A, "embedding_weight_grad", "wrong_overwrite_repeated"))
    assert "sum of all its upstream rows" in messages["embedding_weight_grad_repeated"]
    messages = failed_checks(namespace_with(A, "embedding_weight_grad", "wrong_float64_numpy"))
    assert messages["embedding_weight_grad_dtype"].startswith("embedding_weight_grad returned float64")


class RiggedLinear(nn.Linear):
    """Claims equality with anything; its weight is right, its class is not nn.Linear."""

    def __eq__(self, other):
        return True

    __hash__ = nn.Linear.__hash__


def test_a_subclass_of_the_module_is_not_trusted():
    namespace = dict(vars(ref))

    def embedding_to_linear(embedding):
        linear = ref.embedding_to_linear(embedding)
        rigged = RiggedLinear(linear.in_features, linear.out_features, bias=False, dtype=linear.weight.dtype)
        rigged.load_state_dict(linear.state_dict())
        return rigged

    namespace["embedding_to_linear"] = embedding_to_linear
    assert "embedding_to_linear_basic" in failed_checks(namespace)


def test_monkeypatched_comparisons_do_not_change_the_verdict(monkeypatch):
    namespace = namespace_with(A, "embedding_weight_grad", "wrong_every_row")
    monkeypatch.setattr(torch, "equal", lambda *a, **k: True)
    monkeypatch.setattr(torch, "allclose", lambda *a, **k: True)
    monkeypatch.setattr(torch.testing, "assert_close", lambda *a, **k: None)
    assert "embedding_weight_grad_basic" in failed_checks(namespace)


def test_quiz_answers_are_checked():
    quiz = next(c for c in CHECKS if c.name == "quiz_unused_rows_grad_answer")
    for answer, passed in (("c", True), ("C\n", True), ("b", False), ("zero", False), (0, False)):
        assert verdict_for(quiz, {"quiz_unused_rows_grad": answer}).passed is passed, answer


# The reference against independent computations.

@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_reference_conversions_match_the_modules(dtype):
    torch.manual_seed(1)
    embedding = nn.Embedding(7, 4, dtype=dtype)
    linear = ref.embedding_to_linear(embedding)
    for idx in ([3], [0, 6, 6, 2], []):
        one_hot = torch.nn.functional.one_hot(torch.tensor(idx, dtype=torch.long), 7).to(dtype)
        assert torch.allclose(linear(one_hot), embedding(torch.tensor(idx, dtype=torch.long)))
    back = ref.linear_to_embedding(linear)
    assert torch.equal(back.weight, embedding.weight) and back.weight.dtype == dtype
    with pytest.raises(ValueError):
        ref.linear_to_embedding(nn.Linear(3, 2))


def test_reference_gradient_matches_autograd():
    generator = torch.Generator().manual_seed(3)
    indices = torch.randint(0, 9, (40,), generator=generator)
    upstream = torch.randn(40, 5, generator=generator)
    weight = torch.randn(9, 5, generator=generator, requires_grad=True)
    (upstream * nn.functional.embedding(indices, weight)).sum().backward()
    assert torch.allclose(ref.embedding_weight_grad(indices, upstream, 9), weight.grad, atol=1e-6)
