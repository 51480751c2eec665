"""LookupModel (numpy) against independent references: torch's own one_hot, Embedding, Linear."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from widgets._lookup_model import MODES, LookupModel, random_weight, tokens_of


def test_tokens_are_distinct_characters_in_order_of_first_appearance():
    assert tokens_of("北京欢迎你") == ["北", "京", "欢", "迎", "你"]
    assert tokens_of("你好 你好\n") == ["你", "好"]
    assert tokens_of(" \t") == []


def test_default_weight_is_seeded_and_shaped_by_sentence_and_dim():
    model = LookupModel("北京欢迎你", dim=3, seed=7)
    assert isinstance(model.weight, np.ndarray) and model.weight.dtype == np.float32
    assert model.weight.shape == (5, 3)
    expected = np.random.default_rng(7).standard_normal((5, 3), dtype=np.float32)
    assert np.array_equal(model.weight, expected)
    assert np.array_equal(LookupModel("北京欢迎你", dim=3, seed=7).weight, model.weight)
    assert not np.array_equal(LookupModel("北京欢迎你", dim=3, seed=8).weight, model.weight)


@pytest.mark.parametrize("index", range(5))
def test_one_hot_matches_torch_one_hot(index):
    model = LookupModel("北京欢迎你")
    model.set_index(index)
    expected = F.one_hot(torch.tensor(index), 5).float().numpy()
    assert model.one_hot().dtype == np.float32
    assert np.array_equal(model.one_hot(), expected)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("index", [0, 3, 4])
def test_every_mode_gives_the_embedding_row(mode, index):
    model = LookupModel("北京欢迎你", dim=4, seed=1)
    model.set_index(index)
    # Independent reference: nn.Embedding built from the same weight.
    embedding = torch.nn.Embedding.from_pretrained(torch.tensor(model.weight))
    expected = embedding(torch.tensor([index]))[0].numpy()
    result = model.result(mode)
    assert result.dtype == np.float32
    np.testing.assert_allclose(result, expected, atol=1e-6)


@pytest.mark.parametrize("index", [0, 2, 4])
def test_linear_mode_computes_what_nn_linear_computes(index):
    """The view calls this mode Linear(bias=False): check it against torch's real layer."""
    model = LookupModel("北京欢迎你", dim=6, seed=3)
    model.set_index(index)
    assert model.linear_weight.shape == (6, 5)             # (out_features, in_features)
    assert np.array_equal(model.linear_weight, model.weight.T)
    linear = torch.nn.Linear(5, 6, bias=False)
    with torch.no_grad():
        linear.weight.copy_(torch.tensor(model.linear_weight))
        expected = linear(F.one_hot(torch.tensor(index), 5).float()).numpy()
    np.testing.assert_allclose(model.result("Linear(bias=False)"), expected, atol=1e-6)


def test_the_three_modes_agree_and_disagreement_detects_a_broken_linear():
    model = LookupModel("北京欢迎你", dim=6)
    model.set_index(2)
    assert model.disagreement() <= 1e-6
    model.linear_weight += 1.0                  # corrupt the linear copy only
    assert np.array_equal(model.result("lookup"), model.weight[2])
    assert model.disagreement() == pytest.approx(1.0, abs=1e-5)


def test_results_are_copies_not_views_of_the_weight():
    model = LookupModel("北京欢迎你", dim=3)
    before = model.weight.copy()
    for mode in MODES:
        model.result(mode)[:] = 99.0
    assert np.array_equal(model.weight, before)


def test_unknown_mode_is_a_clear_error():
    with pytest.raises(ValueError, match="mode must be one of"):
        LookupModel().result("matmul")


def test_given_embedding_fixes_vocabulary_and_is_copied():
    embedding = torch.nn.Embedding(5, 4)
    model = LookupModel("北京欢迎你", dim=99, embedding=embedding)
    assert model.fixed and model.weight.shape == (5, 4)
    assert np.array_equal(model.weight, embedding.weight.detach().numpy())
    with torch.no_grad():
        embedding.weight.zero_()                # the student keeps training: the view keeps its copy
    assert np.abs(model.weight).sum() > 0
    with pytest.raises(ValueError, match="fixed"):
        model.set_sentence("你好")
    with pytest.raises(ValueError, match="fixed"):
        model.set_dim(2)


@pytest.mark.parametrize("make", [torch.tensor, np.array], ids=["tensor", "ndarray"])
def test_given_weight_is_copied(make):
    weight = make([[1.0, 2.0], [3.0, 4.0]])
    model = LookupModel("ab", embedding=weight)
    weight[1, 0] = -7.0                          # changed in place afterwards
    model.set_index(1)
    assert model.result("lookup").tolist() == [3.0, 4.0]


def test_weight_that_requires_grad_is_shown():
    weight = torch.tensor([[0.5, -1.0], [2.0, 0.0]], requires_grad=True)
    model = LookupModel("ab", embedding=weight)
    assert model.weight.tolist() == [[0.5, -1.0], [2.0, 0.0]]


@pytest.mark.parametrize("weight, shown_dtype", [
    (torch.tensor([[1.5, -2.0], [0.25, 4.0]], dtype=torch.float16), np.float16),
    (torch.tensor([[1.5, -2.0], [0.25, 4.0]], dtype=torch.bfloat16), np.float32),  # exact widening
    (np.array([[1.5, -2.0], [0.25, 4.0]], dtype=np.float16), np.float16),
], ids=["float16", "bfloat16", "ndarray-float16"])
def test_half_precision_weights_are_shown(weight, shown_dtype):
    model = LookupModel("ab", embedding=weight)
    model.set_index(1)
    for mode in MODES:
        assert model.result(mode).dtype == shown_dtype
        assert model.result(mode).tolist() == [0.25, 4.0]
    assert model.disagreement() == 0.0


@pytest.mark.parametrize("make", [
    lambda: torch.arange(10, dtype=torch.float64).reshape(5, 2),
    lambda: np.arange(10, dtype=np.float64).reshape(5, 2),
], ids=["tensor", "ndarray"])
def test_given_float64_weight_keeps_its_dtype(make):
    model = LookupModel("北京欢迎你", embedding=make())
    model.set_index(3)
    for mode in MODES:
        assert model.result(mode).dtype == np.float64
        assert model.result(mode).tolist() == [6.0, 7.0]


@pytest.mark.parametrize("embedding, error, match", [
    (torch.zeros(4, 3), ValueError, "4 rows but the sentence"),
    (torch.zeros(5), ValueError, r"shape \(V, d\)"),
    (torch.zeros(5, 3, dtype=torch.int64), TypeError, "floating"),
    (torch.zeros(5, 3, dtype=torch.complex64), TypeError, "floating"),
    (np.zeros((5, 3), dtype=np.int32), TypeError, "floating"),
    (np.zeros((5, 0)), ValueError, "at least one row and column"),
    ([[0.0] * 3] * 5, TypeError, "nn.Embedding"),
    (torch.nn.Linear(5, 3, bias=False), TypeError, "nn.Embedding"),
])
def test_bad_embedding_is_rejected(embedding, error, match):
    with pytest.raises(error, match=match):
        LookupModel("北京欢迎你", embedding=embedding)


@pytest.mark.parametrize("seed, error", [(-1, ValueError), (1.5, TypeError), (True, TypeError)])
def test_bad_seed_is_a_clear_error(seed, error):
    with pytest.raises(error, match="seed"):
        LookupModel(seed=seed)


def test_bad_sentence_or_dim_changes_nothing():
    model = LookupModel("北京欢迎你", dim=3)
    model.set_index(4)
    before = (model.tokens, model.weight.copy(), model.index)
    for bad in ("   ", 42):
        with pytest.raises((ValueError, TypeError)):
            model.set_sentence(bad)
    for bad in (0, 33, 2.5, True):
        with pytest.raises((ValueError, TypeError)):
            model.set_dim(bad)
    with pytest.raises(ValueError, match="0..4"):
        model.set_index(5)
    assert model.tokens == before[0] and np.array_equal(model.weight, before[1])
    assert model.index == before[2]


def test_shrinking_the_vocabulary_clamps_the_index():
    model = LookupModel("北京欢迎你")
    model.set_index(4)
    model.set_sentence("你好")
    assert model.tokens == ["你", "好"] and model.index == 1 and model.token == "好"
    assert np.array_equal(model.weight, random_weight(2, 3, 0))
