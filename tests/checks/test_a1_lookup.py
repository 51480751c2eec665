"""a1_lookup: the checks' particular messages, and the reference against independent
computations. What every assignment's checks must do is in ``test_checks_contract.py``."""
from __future__ import annotations

import torch

import autograder.reference.a1_lookup as ref
from autograder.examples.variants import namespace_with
from test_checks_contract import failed_checks

A = "a1_lookup"


def test_failure_messages_say_what_is_wrong_without_expected_values():
    messages = failed_checks(A, namespace_with(A, "one_hot", "wrong_int64"))
    assert messages == {"one_hot_dtype": "one_hot returned int64; the instructions ask for float32"}
    messages = failed_checks(A, namespace_with(A, "lookup", "wrong_detached"))
    assert "cut off from weight" in messages["lookup_gradient"]
    messages = failed_checks(A, namespace_with(A, "build_vocab", "wrong_sorted"))
    assert "order" not in messages["build_vocab_basic"] or "0, 1, 2" in messages["build_vocab_basic"]
    assert "{" not in messages["build_vocab_basic"]  # no dict literal of the expected mapping


# The reference against independent computations (micrograd style).

def test_reference_matches_nn_embedding_and_autograd():
    torch.manual_seed(0)
    embedding = torch.nn.Embedding(5, 3)
    idx = [1, 3, 1, 0]
    assert torch.equal(ref.lookup(embedding.weight, idx), embedding(torch.tensor(idx)))
    assert torch.allclose(ref.lookup_via_one_hot(embedding.weight, idx), embedding(torch.tensor(idx)))
    weight = embedding.weight.detach().clone().requires_grad_()
    ref.lookup(weight, idx).sum().backward()
    counts = torch.bincount(torch.tensor(idx), minlength=5).float()
    assert torch.equal(weight.grad, counts[:, None].expand(5, 3))


def test_reference_one_hot_matches_functional_and_article():
    assert ref.one_hot([1], 5).tolist() == [[0.0, 1.0, 0.0, 0.0, 0.0]]
    idx = torch.tensor([4, 0, 2, 2])
    assert torch.equal(ref.one_hot(idx, 6), torch.nn.functional.one_hot(idx, 6).float())
    assert ref.build_vocab("北京欢迎你") == {"北": 0, "京": 1, "欢": 2, "迎": 3, "你": 4}
    assert ref.encode("北京欢迎你", ref.build_vocab("北京欢迎你")).tolist() == [0, 1, 2, 3, 4]
