"""Hidden-test logic for a4_training: skip-gram pairs, the negative-sampling loss,
masked mean pooling, the quizzes and the phone-model exercise.

One check per notebook test cell (the check's name is the cell's grade_id); each
covers one rule the notebook states, so a function that breaks one rule loses
that cell's points and keeps the others.
"""
from __future__ import annotations

import torch

from autograder.checks import _tensors as tensors
from autograder.checks import check
from autograder.checks._student_values import (
    dtype_of, exact_pairs, finite_of, grad_of, number_as_tensor, quiz_steps, seeded_randn, shape_of, tensor_or_none,
)


def _pair_list(out):
    """``out`` as [[int, int], ...] when it is a list of 2-item tuples/lists, else as is.

    Values are judged here; whether they are tuples of Python ints is its own cell.
    """
    return exact_pairs(out, lambda first, second: [_int_if_scalar(first), _int_if_scalar(second)])


def _int_if_scalar(value):
    if type(value) is torch.Tensor and tensors.numel(value) == 1 and not tensors.is_floating_point(value):
        return int(tensors.item(value))
    return value


# --- skipgram_pairs ---------------------------------------------------------------

def _pairs_step(p, skipgram_pairs, ids, window, rule):
    out = p.call(skipgram_pairs, ids, window)
    p.expect(_pair_list(out), f"skipgram_pairs({ids!r}, window={window}) gave the wrong pairs: {rule}")


@check
def skipgram_pairs_basic(p, skipgram_pairs):
    """skipgram_pairs: (centre, context) for every neighbour within the window."""
    _pairs_step(p, skipgram_pairs, [0, 1, 2], 1, "each position pairs with the positions at distance 1..window")
    _pairs_step(p, skipgram_pairs, [5, 6, 7, 8], 2, "each position pairs with the positions at distance 1..window")


@check
def skipgram_pairs_order(p, skipgram_pairs):
    """skipgram_pairs lists centres in ascending position, then contexts in ascending position."""
    rule = "for each position i in order, its context positions j in ascending order (not nearest first)"
    _pairs_step(p, skipgram_pairs, [10, 11, 12, 13, 14, 15], 2, rule)
    _pairs_step(p, skipgram_pairs, [3, 1, 4, 1, 5, 9, 2], 3, rule)


@check
def skipgram_pairs_token_ids(p, skipgram_pairs):
    """skipgram_pairs pairs token ids (not positions), repeated ids included."""
    rule = "a pair holds the token ids at the two positions (a repeated id gives repeated pairs)"
    _pairs_step(p, skipgram_pairs, [7, 7, 3, 7], 1, rule)
    _pairs_step(p, skipgram_pairs, [9, 2, 9, 2], 1, rule)  # window 1: any order of contexts agrees


@check
def skipgram_pairs_edges(p, skipgram_pairs):
    """skipgram_pairs: an empty or one-token sequence gives []; a window longer than the sequence is fine."""
    _pairs_step(p, skipgram_pairs, [], 2, "an empty sequence has no pairs")
    _pairs_step(p, skipgram_pairs, torch.tensor([], dtype=torch.int64), 2, "an empty tensor has no pairs")
    _pairs_step(p, skipgram_pairs, [4], 3, "a single token has no neighbours")
    _pairs_step(p, skipgram_pairs, [1, 2], 10, "a window longer than the sequence stops at its ends")


@check
def skipgram_pairs_tensor_input(p, skipgram_pairs):
    """skipgram_pairs takes int64/int32 tensors and returns tuples of Python ints."""
    for dtype in (torch.int64, torch.int32):
        out = p.call(skipgram_pairs, torch.tensor([4, 0, 2], dtype=dtype), 1)
        p.expect(out if type(out) is not list else [
            [type(item) is tuple] + [type(v) is int for v in item] if type(item) in (tuple, list) else [False]
            for item in out],
            f"skipgram_pairs of an {str(dtype)[6:]} tensor should return a list of tuples of Python ints "
            "(use int(...)), not tensors")
        p.expect(_pair_list(out), f"skipgram_pairs of an {str(dtype)[6:]} tensor gave the wrong pairs")


@check
def skipgram_pairs_window_error(p, skipgram_pairs):
    """skipgram_pairs raises ValueError for window < 1."""
    for window in (0, -1):
        p.raises(ValueError, skipgram_pairs, [1, 2, 3], window,
                 message=f"skipgram_pairs with window={window} should raise ValueError, but raised {{got}}")


# --- negative_sampling_loss -------------------------------------------------------

def _loss_inputs(batch, negatives, dim, seed, dtype=torch.float32, scale=1.0):
    return (seeded_randn(batch, dim, seed=seed, dtype=dtype, scale=scale),
            seeded_randn(batch, dim, seed=seed + 1, dtype=dtype, scale=scale),
            seeded_randn(batch, negatives, dim, seed=seed + 2, dtype=dtype, scale=scale))


@check
def negative_sampling_loss_basic(p, negative_sampling_loss):
    """negative_sampling_loss: a 0-dim float32 tensor with the right value."""
    center = torch.tensor([[1.0, 0.0]])
    out = p.call(negative_sampling_loss, center, torch.tensor([[1.0, 0.0]]), torch.tensor([[[0.0, 1.0]]]))
    p.expect(shape_of(out), "negative_sampling_loss should return a 0-dim tensor (shape ()), got {got}")
    p.expect(dtype_of(out), "negative_sampling_loss of float32 inputs returned {got}; it should be float32")
    p.expect(number_as_tensor(out), "negative_sampling_loss gave a wrong value: -log σ(center·context) - Σ_k log σ(-center·negative_k)",
             check_dtype=False)
    out = p.call(negative_sampling_loss, *_loss_inputs(3, 2, 4, seed=1),
                 what="negative_sampling_loss(center (3, 4), context (3, 4), negatives (3, 2, 4))")
    # The first case has one pair and one negative orthogonal to center: it cannot tell these three apart.
    p.expect(number_as_tensor(out), "negative_sampling_loss gave a wrong value for 3 pairs with K=2 negatives each "
                           "(it was right for one pair with one negative orthogonal to center): check the minus "
                           "sign in log σ(-center·negative_k), the sum (not the mean) over the K negatives and "
                           "the mean (not the sum) over the batch", check_dtype=False)


@check
def negative_sampling_loss_negatives(p, negative_sampling_loss):
    """negative_sampling_loss uses σ(-center·negative) for the negatives, summed over K."""
    for k in (1, 4):
        # One pair only, so this cell judges the negatives' term and nothing about the batch.
        center, context, negatives = _loss_inputs(1, k, 5, seed=10 + k)
        context = torch.zeros_like(context)  # isolate the negatives' term
        out = p.call(negative_sampling_loss, center, context, negatives)
        p.expect(number_as_tensor(out), f"negative_sampling_loss is wrong for K={k} negatives: each negative adds "
                               "-log σ(-center·negative) (note the minus sign), summed over K", check_dtype=False)


@check
def negative_sampling_loss_batch_mean(p, negative_sampling_loss):
    """negative_sampling_loss averages over the batch (not a sum)."""
    # One zero negative per pair: its term is log 2 however the negatives are handled,
    # so this cell judges the batch reduction only.
    center, context, _ = _loss_inputs(1, 1, 4, seed=20)
    zero_negative = torch.zeros(1, 1, 4)
    single = p.call(negative_sampling_loss, center, context, zero_negative)
    p.expect(number_as_tensor(single), "negative_sampling_loss is wrong for a batch of one pair", check_dtype=False)
    repeated = p.call(negative_sampling_loss, center.repeat(5, 1), context.repeat(5, 1), zero_negative.repeat(5, 1, 1))
    p.expect(number_as_tensor(repeated), "negative_sampling_loss of the same pair repeated 5 times should equal its loss "
                                "for one pair: take the mean over the batch", check_dtype=False)
    center, context, _ = _loss_inputs(6, 1, 4, seed=21)
    out = p.call(negative_sampling_loss, center, context, torch.zeros(6, 1, 4))
    p.expect(number_as_tensor(out), "negative_sampling_loss of a batch of 6 pairs should be the mean of their losses",
             check_dtype=False)


@check
def negative_sampling_loss_extreme(p, negative_sampling_loss):
    """negative_sampling_loss is finite and right for dot products of ±1000."""
    context = torch.tensor([[100.0, 0.0]])
    negatives = torch.tensor([[[-100.0, 0.0]]])
    for center in (torch.tensor([[10.0, 0.0]]), torch.tensor([[-10.0, 0.0]])):  # dot products ±1000
        out = p.call(negative_sampling_loss, center, context, negatives)
        p.expect(finite_of(number_as_tensor(out)), "negative_sampling_loss is not finite (inf or NaN) when dot products "
                                          "are ±1000: torch.log(torch.sigmoid(x)) underflows to log(0), use "
                                          "torch.nn.functional.logsigmoid(x)")
        p.expect(number_as_tensor(out), "negative_sampling_loss is finite but wrong when dot products are ±1000: "
                               "-log σ(center·context) - Σ_k log σ(-center·negative_k), as for small ones",
                 atol=1e-3, check_dtype=False)


@check
def negative_sampling_loss_gradient(p, negative_sampling_loss):
    """negative_sampling_loss is differentiable: gradients reach center, context and negatives."""
    center, context, negatives = (t.requires_grad_() for t in _loss_inputs(3, 2, 4, seed=30))
    out = p.call(negative_sampling_loss, center, context, negatives)
    loss = tensor_or_none(out)
    p.expect(loss is not None and tensors.requires_grad(loss),
             "negative_sampling_loss should return a tensor still attached to the graph (no .item(), "
             ".detach() or numpy inside)")
    if loss is not None and tensors.requires_grad(loss) and tensors.numel(loss) == 1:
        p.call(lambda: tensors.backward(loss), what="loss.backward()")
    for name, tensor in (("center", center), ("context", context), ("negatives", negatives)):
        p.expect(grad_of(tensor) is not None,
                 f"no gradient reached {name} after loss.backward(): part of negative_sampling_loss cuts "
                 f"{name} off the graph (.detach(), .data, .item() or numpy)")
    for name, tensor in (("center", center), ("context", context), ("negatives", negatives)):
        # A gradient is there: a wrong one comes from a wrong formula or from a part cut off the graph.
        p.expect(grad_of(tensor), f"the gradient with respect to {name} reaches it but has wrong values: when "
                                  "the loss's value is wrong too, fix that first (the other "
                                  "negative_sampling_loss cells say how); when the value is right, part of "
                                  "the loss is cut off the graph (.detach(), .data or .item())", check_dtype=False)


@check
def negative_sampling_loss_float64(p, negative_sampling_loss):
    """negative_sampling_loss keeps float64 and leaves its inputs alone."""
    inputs = _loss_inputs(2, 3, 4, seed=40, dtype=torch.float64)
    out = p.call(negative_sampling_loss, *inputs)
    p.expect(dtype_of(out), "negative_sampling_loss of float64 inputs returned {got}; it should keep float64")
    # Inputs are rebuilt identically on both sides: recorded after the call, they must
    # still equal the reference's untouched ones.
    for name, tensor in zip(("center", "context", "negatives"), inputs):
        p.expect(tensor, f"negative_sampling_loss modified {name} in place; inputs are never changed")


# --- masked_mean_pool ---------------------------------------------------------------

def _pool_step(p, masked_mean_pool, vectors, mask, rule, check_dtype=False):
    out = p.call(masked_mean_pool, vectors, mask)
    p.expect(out, f"masked_mean_pool gave wrong values: {rule}", check_dtype=check_dtype)
    return out


@check
def masked_mean_pool_basic(p, masked_mean_pool):
    """masked_mean_pool: the mean of each row's vectors where the mask is True, shape (B, d)."""
    vectors = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [[2.0, 0.0], [4.0, 2.0], [9.0, 9.0]]])
    mask = torch.tensor([[True, True, True], [True, True, False]])
    out = p.call(masked_mean_pool, vectors, mask)
    p.expect(shape_of(out), "masked_mean_pool of vectors (B, L, d) should have shape (B, d), got {got}")
    p.expect(out, "masked_mean_pool gave wrong values: the mean over the positions where mask is True",
             check_dtype=False)
    _pool_step(p, masked_mean_pool, seeded_randn(3, 4, 2, seed=50), torch.tensor(
        [[True, True, False, False], [True, True, True, True], [True, False, False, False]]),
        "the mean over the positions where mask is True")


@check
def masked_mean_pool_padding(p, masked_mean_pool):
    """masked_mean_pool: values at padded positions never change the result."""
    mask = torch.tensor([[True, True, True, False, False], [True, False, False, False, False]])
    vectors = seeded_randn(2, 5, 3, seed=60)
    noisy = vectors.clone()
    noisy[~mask] = seeded_randn(int((~mask).sum()), 3, seed=61, scale=1000.0)
    rule = "positions where mask is False must not count, in the sum or in the count"
    _pool_step(p, masked_mean_pool, vectors, mask, rule)
    _pool_step(p, masked_mean_pool, noisy, mask, rule)


@check
def masked_mean_pool_empty_row(p, masked_mean_pool):
    """masked_mean_pool: a row with no True gives zeros, never NaN."""
    mask = torch.tensor([[True, True, True], [False, False, False]])  # a full row next to an empty one
    _pool_step(p, masked_mean_pool, seeded_randn(2, 3, 4, seed=70), mask,
               "a row whose mask is all False gives a zero vector (not NaN)")


@check
def masked_mean_pool_any_mask(p, masked_mean_pool):
    """masked_mean_pool: True positions need not come first (any pattern works)."""
    mask = torch.tensor([[False, True, False, True], [True, False, False, True], [False, False, True, False]])
    _pool_step(p, masked_mean_pool, seeded_randn(3, 4, 3, seed=80), mask,
               "use the mask itself: True positions can be anywhere, not only at the start")


@check
def masked_mean_pool_dtype(p, masked_mean_pool):
    """masked_mean_pool keeps the vectors' float dtype and leaves its inputs alone."""
    mask = torch.tensor([[True, False], [True, True]])
    for dtype in (torch.float32, torch.float64):
        vectors = seeded_randn(2, 2, 3, seed=90, dtype=dtype)
        out = p.call(masked_mean_pool, vectors, mask)
        p.expect(dtype_of(out), f"masked_mean_pool of {str(dtype)[6:]} vectors returned {{got}}; it should keep their dtype")
        p.expect(vectors, "masked_mean_pool modified vectors in place; inputs are never changed")
        p.expect(mask, "masked_mean_pool modified mask in place; inputs are never changed")


# --- quizzes and the phone-model exercise ------------------------------------------

@check
def quiz_pair_count_answer(p, quiz_pair_count):
    """Quiz: how many skip-gram pairs a 5-token sentence gives with window 2."""
    quiz_steps(p, quiz_pair_count, "the section on skip-gram pairs")


@check
def quiz_why_together_answer(p, quiz_why_together):
    """Quiz: why 忐 and 忑 end up with nearly the same vector."""
    quiz_steps(p, quiz_why_together, "the section on input and output vectors")


@check
def quiz_sentiment_apart_answer(p, quiz_sentiment_apart):
    """Quiz: why sentiment training pushes 喜欢 and 讨厌 apart."""
    quiz_steps(p, quiz_sentiment_apart, "the section on training from labels")


@check
def quiz_phone_parameters_answer(p, quiz_phone_parameters):
    """Quiz: parameters of an embedding versus a bias-free one-hot linear layer."""
    quiz_steps(p, quiz_phone_parameters, "the section on embedding a categorical feature")


def _bytes_steps(p, answer, what: str) -> None:
    value = answer.obj
    p.expect(type(value) is int, f"{answer.name} should be a whole number of bytes (an int)")
    p.expect(value, f"{answer.name} is not the size in bytes of {what}: rows × columns × bytes per float32 (4)")


@check
def phone_one_hot_bytes_answer(p, phone_one_hot_bytes):
    """Exercise: bytes of the one-hot batch of phone models."""
    _bytes_steps(p, phone_one_hot_bytes, "the one-hot batch")


@check
def phone_embedding_bytes_answer(p, phone_embedding_bytes):
    """Exercise: bytes of the embedding outputs for the same batch."""
    _bytes_steps(p, phone_embedding_bytes, "the embedding outputs")
