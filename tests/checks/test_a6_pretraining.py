"""a6_pretraining: the reference against independent computations (plain Python loops and
float64 formulas written out), rule by rule as the course spec states them.

The checks (autograder/checks/a6_pretraining/) compare students against this reference; what
every assignment's checks must do is in ``test_checks_contract.py`` and ``test_messages.py``.
"""
from __future__ import annotations

import math

import pytest
import torch
from torch import nn

import autograder.reference.a6_pretraining as ref


def _gen(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


# --- mask_tokens -----------------------------------------------------------------------

def _masking_inputs(seed: int, shape=(3, 7)):
    g = _gen(seed)
    ids = torch.randint(4, 50, shape, generator=g)
    special = torch.zeros(shape, dtype=torch.bool)
    special[:, 0] = True           # [CLS]
    special[-1, -2:] = True        # [PAD]
    u_select = torch.rand(shape, generator=g, dtype=torch.float64)
    u_action = torch.rand(shape, generator=g, dtype=torch.float64)
    random_ids = torch.randint(4, 50, shape, generator=g)
    return ids, special, u_select, u_action, random_ids


def _mask_by_loop(ids, special, u_select, u_action, random_ids, mask_id, p):
    inputs, labels = [], []
    for b in range(ids.shape[0]):
        row_in, row_lab = [], []
        for i in range(ids.shape[1]):
            token = int(ids[b, i])
            if float(u_select[b, i]) < p and not bool(special[b, i]):
                u = float(u_action[b, i])
                row_in.append(mask_id if u < 0.8 else int(random_ids[b, i]) if u < 0.9 else token)
                row_lab.append(token)
            else:
                row_in.append(token)
                row_lab.append(-100)
        inputs.append(row_in)
        labels.append(row_lab)
    return inputs, labels


@pytest.mark.parametrize("p", [0.0, 0.15, 0.5, 1.0])
@pytest.mark.parametrize("seed", range(4))
def test_mask_tokens_agrees_with_a_loop(seed, p):
    args = _masking_inputs(seed)
    inputs, labels = ref.mask_tokens(*args, mask_id=3, p=p)
    assert (inputs.tolist(), labels.tolist()) == _mask_by_loop(*args, mask_id=3, p=p)
    assert inputs.dtype == labels.dtype == torch.int64 and inputs.shape == labels.shape == (3, 7)


def test_mask_tokens_boundaries_of_u_action():
    ids = torch.tensor([[10, 11, 12, 13, 14]])
    u_action = torch.tensor([[0.0, 0.79999, 0.8, 0.89999, 0.9]], dtype=torch.float64)
    inputs, labels = ref.mask_tokens(ids, torch.zeros(1, 5, dtype=torch.bool), torch.zeros(1, 5, dtype=torch.float64),
                                     u_action, torch.full((1, 5), 7), mask_id=3, p=0.15)
    assert inputs.tolist() == [[3, 3, 7, 7, 14]] and labels.tolist() == [[10, 11, 12, 13, 14]]


def test_mask_tokens_never_chooses_special_positions_and_u_select_equal_to_p_is_not_chosen():
    ids = torch.tensor([[2, 20, 21, 0]])
    special = torch.tensor([[True, False, False, True]])
    u_select = torch.tensor([[0.0, 0.15, 0.1499, 0.0]], dtype=torch.float64)
    inputs, labels = ref.mask_tokens(ids, special, u_select, torch.zeros(1, 4, dtype=torch.float64),
                                     torch.zeros(1, 4, dtype=torch.int64), mask_id=3, p=0.15)
    assert inputs.tolist() == [[2, 20, 3, 0]] and labels.tolist() == [[-100, -100, 21, -100]]


@pytest.mark.parametrize("p", [-0.01, 1.01, float("nan"), float("inf")])
def test_mask_tokens_rejects_p_outside_0_1(p):
    with pytest.raises(ValueError):
        ref.mask_tokens(*_masking_inputs(0), mask_id=3, p=p)


@pytest.mark.parametrize("which", range(1, 5))
def test_mask_tokens_rejects_a_shape_differing_from_ids(which):
    args = list(_masking_inputs(0))
    args[which] = args[which][:, :-1]
    with pytest.raises(ValueError):
        ref.mask_tokens(*args, mask_id=3)


def test_mask_tokens_leaves_its_inputs_alone_and_returns_new_int64_tensors():
    args = _masking_inputs(1)
    args = (args[0].to(torch.int32),) + args[1:]
    copies = [a.clone() for a in args]
    inputs, labels = ref.mask_tokens(*args, mask_id=3, p=0.9)
    assert all(torch.equal(a, c) for a, c in zip(args, copies))
    assert inputs.dtype == labels.dtype == torch.int64
    storages = {a.untyped_storage().data_ptr() for a in args}
    assert inputs.untyped_storage().data_ptr() not in storages and labels.untyped_storage().data_ptr() not in storages
    # p = 0 chooses nothing, and the result is still a copy
    inputs, labels = ref.mask_tokens(*_masking_inputs(2), mask_id=3, p=0.0)
    assert (labels == -100).all()


# --- mlm_loss --------------------------------------------------------------------------

def _loss_by_formula(logits, labels) -> float:
    """Mean over labelled positions of logsumexp(row) - row[label], in Python floats."""
    total, count = 0.0, 0
    flat, targets = logits.reshape(-1, logits.shape[-1]).tolist(), labels.reshape(-1).tolist()
    for row, target in zip(flat, targets):
        if target == -100:
            continue
        top = max(row)
        total += top + math.log(sum(math.exp(x - top) for x in row)) - row[target]
        count += 1
    return total / count if count else 0.0


@pytest.mark.parametrize("scale", [1.0, 30.0, 1000.0])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_mlm_loss_agrees_with_the_formula(scale, dtype):
    g = _gen(3)
    logits = torch.randn(2, 5, 6, generator=g, dtype=torch.float64) * scale
    labels = torch.randint(0, 6, (2, 5), generator=g)
    labels[0, :3] = -100
    loss = ref.mlm_loss(logits.to(dtype), labels)
    assert loss.shape == () and loss.dtype == dtype and math.isfinite(loss.item())
    expected = _loss_by_formula(logits.to(dtype).double(), labels)
    assert abs(loss.item() - expected) <= 1e-5 * max(1.0, abs(expected))


def test_mlm_loss_without_labels_is_zero_attached_to_the_logits_with_a_zero_gradient():
    for dtype in (torch.float32, torch.float64):
        logits = torch.randn(2, 3, 4, dtype=dtype, requires_grad=True)
        loss = ref.mlm_loss(logits, torch.full((2, 3), -100))
        assert loss.item() == 0.0 and loss.dtype == dtype and loss.requires_grad
        loss.backward()
        assert logits.grad is not None and torch.equal(logits.grad, torch.zeros_like(logits))


def test_mlm_loss_gradient_matches_finite_differences_and_ignores_unlabelled_positions():
    g = _gen(4)
    logits = torch.randn(2, 3, 5, generator=g, dtype=torch.float64, requires_grad=True)
    labels = torch.tensor([[1, -100, 4], [-100, -100, 0]])
    assert torch.autograd.gradcheck(lambda x: ref.mlm_loss(x, labels), (logits,))
    ref.mlm_loss(logits, labels).backward()
    assert torch.equal(logits.grad[0, 1], torch.zeros(5, dtype=torch.float64))
    # softmax - one_hot, divided by the 3 labelled positions
    expected = (torch.softmax(logits[0, 0].detach(), 0) - torch.eye(5, dtype=torch.float64)[1]) / 3
    assert torch.allclose(logits.grad[0, 0], expected)


def test_mlm_loss_leaves_its_inputs_alone():
    logits, labels = torch.randn(1, 4, 3), torch.tensor([[0, -100, 2, 1]])
    copies = logits.clone(), labels.clone()
    ref.mlm_loss(logits, labels)
    assert torch.equal(logits, copies[0]) and torch.equal(labels, copies[1])


# --- tied_logits -----------------------------------------------------------------------

@pytest.mark.parametrize("with_bias", [False, True])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_tied_logits_agrees_with_dot_products_written_out(with_bias, dtype):
    g = _gen(5)
    table = nn.Embedding(6, 4).to(dtype)
    hidden = torch.randn(2, 3, 4, generator=g, dtype=dtype)
    bias = torch.randn(6, generator=g, dtype=dtype) if with_bias else None
    logits = ref.tied_logits(hidden, table, bias)
    assert logits.shape == (2, 3, 6) and logits.dtype == dtype
    w = table.weight.detach().tolist()
    for b in range(2):
        for i in range(3):
            for v in range(6):
                expected = sum(h * x for h, x in zip(hidden[b, i].tolist(), w[v])) + (bias[v].item() if with_bias else 0)
                assert abs(logits[b, i, v].item() - expected) < 1e-5


def test_tied_logits_gradients_reach_the_table_hidden_and_bias():
    table = nn.Embedding(5, 3).double()
    hidden = torch.randn(2, 4, 3, dtype=torch.float64, requires_grad=True)
    bias = torch.randn(5, dtype=torch.float64, requires_grad=True)
    ref.tied_logits(hidden, table, bias).sum().backward()
    assert all(t is not None and t.abs().sum() > 0 for t in (hidden.grad, bias.grad, table.weight.grad))
    assert torch.autograd.gradcheck(lambda h, w, b: ref.tied_logits(h, _table_with(w), b),
                                    (hidden.detach().requires_grad_(), table.weight.detach().clone().requires_grad_(),
                                     bias.detach().requires_grad_()))


def _table_with(weight: torch.Tensor) -> nn.Embedding:
    table = nn.Embedding(*weight.shape).to(weight.dtype)
    del table.weight
    table.weight = weight  # a plain tensor in the parameter's place, so gradcheck can perturb it
    return table


def test_tied_logits_errors():
    table = nn.Embedding(5, 3)
    with pytest.raises(ValueError):
        ref.tied_logits(torch.randn(1, 2, 4), table)
    with pytest.raises(ValueError):
        ref.tied_logits(torch.randn(1, 2, 3, dtype=torch.float64), table)


# --- embed_with_positions --------------------------------------------------------------

@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_embed_with_positions_agrees_with_rows_added_by_hand(dtype):
    tokens, positions = nn.Embedding(7, 3).to(dtype), nn.Embedding(5, 3).to(dtype)
    ids = torch.tensor([[1, 6, 1, 0], [2, 2, 3, 4]])
    out = ref.embed_with_positions(ids, tokens, positions)
    assert out.shape == (2, 4, 3) and out.dtype == dtype
    for b in range(2):
        for i in range(4):
            expected = [t + q for t, q in zip(tokens.weight[ids[b, i]].tolist(), positions.weight[i].tolist())]
            assert out[b, i].tolist() == pytest.approx(expected, abs=1e-6)
    # the whole position table is usable (L == num_embeddings)
    assert ref.embed_with_positions(torch.zeros(1, 5, dtype=torch.int64), tokens, positions).shape == (1, 5, 3)


def test_embed_with_positions_gradients_reach_both_tables():
    tokens, positions = nn.Embedding(7, 3), nn.Embedding(5, 3)
    ref.embed_with_positions(torch.tensor([[1, 2, 1]]), tokens, positions).sum().backward()
    assert tokens.weight.grad[1].tolist() == [2.0] * 3 and tokens.weight.grad[0].tolist() == [0.0] * 3
    assert positions.weight.grad[:3].tolist() == [[1.0] * 3] * 3 and positions.weight.grad[3:].abs().sum() == 0


def test_embed_with_positions_errors():
    with pytest.raises(ValueError):
        ref.embed_with_positions(torch.zeros(1, 6, dtype=torch.int64), nn.Embedding(7, 3), nn.Embedding(5, 3))
    with pytest.raises(ValueError):
        ref.embed_with_positions(torch.zeros(1, 2, dtype=torch.int64), nn.Embedding(7, 3), nn.Embedding(5, 4))


# --- copy_pretrained_rows --------------------------------------------------------------

def test_copy_pretrained_rows_agrees_with_a_loop():
    vocab = {"好": 0, "[PAD]": 1, "差": 2, "😀": 3, "书": 4}
    pretrained_vocab = {"[PAD]": 0, "书": 1, "好": 2, "的": 3}
    g = _gen(6)
    pretrained = torch.randn(4, 3, generator=g, dtype=torch.float64)
    init = torch.randn(5, 3, generator=g)
    weight, missing = ref.copy_pretrained_rows(vocab, pretrained_vocab, pretrained, init)
    assert weight.dtype == torch.float32 and weight.shape == (5, 3) and not weight.requires_grad
    for token, row in vocab.items():
        source = pretrained[pretrained_vocab[token]].float() if token in pretrained_vocab else init[row]
        assert torch.equal(weight[row], source), token
    assert missing == ["差", "😀"]


def test_copy_pretrained_rows_lists_missing_tokens_by_index_not_by_dict_order():
    vocab = {"c": 2, "a": 0, "b": 1}
    weight, missing = ref.copy_pretrained_rows(vocab, {"b": 0}, torch.ones(1, 2), torch.zeros(3, 2))
    assert missing == ["a", "c"] and weight.tolist() == [[0.0, 0.0], [1.0, 1.0], [0.0, 0.0]]


def test_copy_pretrained_rows_shares_no_memory_needs_no_gradient_and_leaves_inputs_alone():
    pretrained = torch.randn(3, 2, requires_grad=True)
    init = nn.Embedding(2, 2).weight
    before = pretrained.detach().clone(), init.detach().clone()
    weight, missing = ref.copy_pretrained_rows({"x": 0, "y": 1}, {"q": 0, "r": 1, "s": 2}, pretrained, init)
    assert missing == ["x", "y"] and torch.equal(weight, before[1]) and not weight.requires_grad
    assert weight.untyped_storage().data_ptr() not in (init.untyped_storage().data_ptr(),
                                                       pretrained.untyped_storage().data_ptr())
    weight += 1
    assert torch.equal(init.detach(), before[1]) and torch.equal(pretrained.detach(), before[0])
    # every row copied: still a new tensor
    weight, missing = ref.copy_pretrained_rows({"q": 0}, {"q": 0}, pretrained, torch.zeros(1, 2))
    assert missing == [] and torch.equal(weight, before[0][:1])


def test_copy_pretrained_rows_errors():
    with pytest.raises(ValueError):
        ref.copy_pretrained_rows({"a": 0}, {"a": 0}, torch.ones(1, 3), torch.ones(1, 2))
    with pytest.raises(ValueError):
        ref.copy_pretrained_rows({"a": 0, "b": 1}, {"a": 0}, torch.ones(1, 2), torch.ones(3, 2))


# --- the checks' own computations ------------------------------------------------------

def test_the_checks_masking_rule_is_the_reference_s():
    # The diagnoses are recorded where a slip's result differs from the grader's right one:
    # that right one must be the reference's, or a right submission would be told a slip.
    from autograder.checks.a6_pretraining.mask_tokens import MASK_ID, _draws, _masked

    for seed in range(5):
        ids = torch.randint(4, 60, (4, 9), generator=_gen(seed))
        draws = (ids, *_draws(ids, seed=seed + 100))
        for p in (0.0, 0.15, 0.5, 1.0):
            got = _masked(draws, p)
            want = ref.mask_tokens(*(t.clone() for t in draws), mask_id=MASK_ID, p=p)
            assert all(torch.equal(g, w) for g, w in zip(got, want))


def test_the_checks_loss_is_the_reference_s():
    from autograder.checks.a6_pretraining.mlm_loss import _labels, _loss

    for seed in range(5):
        logits, labels = torch.randn(3, 4, 6, generator=_gen(seed)), _labels((3, 4), 6, seed=seed)
        assert abs(float(_loss(logits, labels)) - float(ref.mlm_loss(logits, labels))) < 1e-5


def test_a_slip_is_named_only_where_these_inputs_tell_it_apart():
    # With p = 0 no position is chosen: no masking slip differs from the right inputs, so the
    # p cell of a submission that always writes [MASK] passes (its own cell is the actions one).
    from autograder.checks import checks_for, verdict_for

    def always_mask(ids, special, u_select, u_action, random_ids, mask_id, p=0.15):
        inputs, labels = ref.mask_tokens(ids, special, u_select, u_action, random_ids, mask_id, p)
        return torch.where(labels != -100, torch.full_like(inputs, mask_id), inputs), labels

    failed = {c.name for c in checks_for("a6_pretraining")
              if not verdict_for(c, {**vars(ref), "mask_tokens": always_mask}).passed}
    assert failed == {"mask_tokens_basic", "mask_tokens_actions"}
