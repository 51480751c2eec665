"""a2_linear: the checks' particular messages, and the reference against independent
computations. What every assignment's checks must do is in ``test_checks_contract.py``."""
from __future__ import annotations

import pytest
import torch
from torch import nn

import autograder.reference.a2_linear as ref
from autograder.examples.variants import namespace_with
from test_checks_contract import failed_checks

A = "a2_linear"


def test_failure_messages_name_the_misconception():
    messages = failed_checks(A, namespace_with(A, "embedding_to_linear", "wrong_shared_view"))
    assert "own copy" in messages["embedding_to_linear_independent"]
    messages = failed_checks(A, namespace_with(A, "linear_to_embedding", "wrong_removes_bias"))
    assert "should raise ValueError" in messages["linear_to_embedding_bias_error"]
    messages = failed_checks(A, namespace_with(A, "embedding_weight_grad", "wrong_overwrite_repeated"))
    assert "sum of all its upstream rows" in messages["embedding_weight_grad_repeated"]
    messages = failed_checks(A, namespace_with(A, "embedding_weight_grad", "wrong_float64_numpy"))
    assert messages["embedding_weight_grad_dtype"].startswith("embedding_weight_grad returned float64")


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
