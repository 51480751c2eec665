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
    assert "returned the dot product a·b for vectors pointing the same way" in messages["cosine_similarity_basic"]


def _most_similar_messages(fake) -> dict[str, str]:
    namespace = {**vars(ref), "most_similar": fake}
    return {name: message for name, message in failed_checks(A, namespace).items() if name.startswith("most_similar")}


def test_most_similar_is_judged_in_steps_each_message_true_of_what_it_found():
    # Not a list of pairs: said so, whatever cell.
    messages = _most_similar_messages(lambda *args, **kwargs: tuple(ref.most_similar(*args, **kwargs)))
    assert messages["most_similar_basic"] == ("most_similar('猫', vocab, weight, k=3) should return a list of "
                                              "(token, similarity) pairs; it returned a tuple of length 3")
    # NumPy floats with the right values: only the cell about types fails, and says so (issue #21).
    import numpy

    def numpy_scores(*args, **kwargs):
        return [(t, numpy.float64(s)) for t, s in ref.most_similar(*args, **kwargs)]

    assert _most_similar_messages(numpy_scores) == {"most_similar_types": (
        "most_similar returned the similarities as numpy floats: make each one a Python float (float(x), or "
        ".item() of a 0-dim tensor)")}
    # Similarities that are not numbers at all: told where the values are judged (not "wrong similarities").
    messages = _most_similar_messages(lambda *args, **kwargs: [(t, str(s)) for t, s in ref.most_similar(*args, **kwargs)])
    assert "gave similarities that are not Python numbers" in messages["most_similar_ties"]
    # Right similarities, wrong order: told as the order of the similarities, not as a tie problem.
    messages = _most_similar_messages(lambda *args, **kwargs: ref.most_similar(*args, **kwargs)[::-1])
    assert messages["most_similar_ties"].startswith("most_similar('丑', vocab, weight, k=4) gave wrong similarities:")
    assert "highest first" in messages["most_similar_ties"]


def test_most_similar_k_hint_only_for_a_k_beyond_the_vocabulary():
    def refuses_large_k(token, vocab, weight, k=3):
        if k >= len(vocab):
            raise RuntimeError("selected index k out of range")
        return ref.most_similar(token, vocab, weight, k)

    messages = _most_similar_messages(refuses_large_k)
    assert set(messages) == {"most_similar_k"}
    assert messages["most_similar_k"].endswith(
        "k=6 is allowed although the vocabulary has only 6 tokens: it lists all 5 other tokens. If you use "
        "torch.topk, never ask it for more rows than weight has (6): it raises for a k larger than its input")


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
