"""LookupModel against independent references (torch's own one_hot, Embedding, Linear)."""
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
    assert model.weight.shape == (5, 3)
    expected = torch.randn(5, 3, generator=torch.Generator().manual_seed(7))
    assert torch.equal(model.weight, expected)
    assert not torch.equal(LookupModel("北京欢迎你", dim=3, seed=8).weight, model.weight)


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
    embedding = torch.nn.Embedding.from_pretrained(model.weight.clone())
    expected = embedding(torch.tensor([index]))[0].numpy()
    np.testing.assert_allclose(model.result(mode), expected, atol=1e-6)


def test_the_three_modes_agree_and_disagreement_detects_a_broken_linear():
    model = LookupModel("北京欢迎你", dim=6)
    model.set_index(2)
    assert model.disagreement() <= 1e-6
    with torch.no_grad():                       # corrupt the linear copy only
        model._linear.weight.add_(1.0)
    assert model.disagreement() == pytest.approx(1.0, abs=1e-5)


def test_unknown_mode_is_a_clear_error():
    with pytest.raises(ValueError, match="mode must be one of"):
        LookupModel().result("matmul")


def test_given_embedding_fixes_vocabulary_and_is_copied():
    embedding = torch.nn.Embedding(5, 4)
    model = LookupModel("北京欢迎你", dim=99, embedding=embedding)
    assert model.fixed and model.weight.shape == (5, 4)
    assert torch.equal(model.weight, embedding.weight.detach())
    with torch.no_grad():
        embedding.weight.zero_()                # the student keeps training: the view keeps its copy
    assert model.weight.abs().sum() > 0
    with pytest.raises(ValueError, match="fixed"):
        model.set_sentence("你好")
    with pytest.raises(ValueError, match="fixed"):
        model.set_dim(2)


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16])
def test_half_precision_weights_are_shown(dtype):
    weight = torch.tensor([[1.5, -2.0], [0.25, 4.0]], dtype=dtype)
    model = LookupModel("ab", embedding=weight)
    model.set_index(1)
    for mode in MODES:
        assert model.result(mode).tolist() == [0.25, 4.0]
    assert model.disagreement() == 0.0


def test_given_weight_tensor_keeps_its_dtype():
    weight = torch.arange(10, dtype=torch.float64).reshape(5, 2)
    model = LookupModel("北京欢迎你", embedding=weight)
    model.set_index(3)
    for mode in MODES:
        assert model.result(mode).dtype == np.float64
        assert model.result(mode).tolist() == [6.0, 7.0]


@pytest.mark.parametrize("embedding, error, match", [
    (torch.zeros(4, 3), ValueError, "4 rows but the sentence"),
    (torch.zeros(5), ValueError, r"shape \(V, d\)"),
    (torch.zeros(5, 3, dtype=torch.int64), TypeError, "floating"),
    ([[0.0] * 3] * 5, TypeError, "nn.Embedding"),
])
def test_bad_embedding_is_rejected(embedding, error, match):
    with pytest.raises(error, match=match):
        LookupModel("北京欢迎你", embedding=embedding)


def test_bad_sentence_or_dim_changes_nothing():
    model = LookupModel("北京欢迎你", dim=3)
    model.set_index(4)
    before = (model.tokens, model.weight.clone(), model.index)
    for bad in ("   ", 42):
        with pytest.raises((ValueError, TypeError)):
            model.set_sentence(bad)
    for bad in (0, 33, 2.5, True):
        with pytest.raises((ValueError, TypeError)):
            model.set_dim(bad)
    with pytest.raises(ValueError, match="0..4"):
        model.set_index(5)
    assert model.tokens == before[0] and torch.equal(model.weight, before[1])
    assert model.index == before[2]


def test_shrinking_the_vocabulary_clamps_the_index():
    model = LookupModel("北京欢迎你")
    model.set_index(4)
    model.set_sentence("你好")
    assert model.tokens == ["你", "好"] and model.index == 1 and model.token == "好"
    assert torch.equal(model.weight, random_weight(2, 3, 0))
