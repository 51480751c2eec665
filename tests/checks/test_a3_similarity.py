"""a3_similarity: the checks' particular messages, and the reference against an independent
computation. What every assignment's checks must do is in ``test_checks_contract.py``."""
from __future__ import annotations

import torch

import autograder.reference.a3_similarity as ref
from autograder.examples.variants import namespace_with
from test_checks_contract import failed_checks

A = "a3_similarity"


def test_failure_messages_do_not_print_expected_values():
    messages = failed_checks(A, namespace_with(A, "cosine_similarity", "wrong_dot_only"))
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
