"""a4_training: the checks' particular messages, the phone exercise's partial credit, and
the reference against independent computations. What every assignment's checks must do is
in ``test_checks_contract.py``."""
from __future__ import annotations

import math
import re

import pytest
import torch

import autograder.reference.a4_training as ref
from support.variants import namespace_with
from test_checks_contract import failed_checks

A = "a4_training"


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
    messages = failed_checks(A, namespace_with(A, "negative_sampling_loss", "wrong_log_of_sigmoid"))
    assert "logsigmoid" in messages["negative_sampling_loss_extreme"]
    messages = failed_checks(A, namespace_with(A, "negative_sampling_loss", "wrong_sum_over_batch"))
    assert "mean over the batch" in messages["negative_sampling_loss_batch_mean"]
    assert re.search(r"\d\.\d", messages["negative_sampling_loss_batch_mean"]) is None  # no expected number
    messages = failed_checks(A, namespace_with(A, "skipgram_pairs", "wrong_nearest_first"))
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
    assert set(failed_checks(A, namespace)) == lost
