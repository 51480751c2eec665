"""Hidden-test logic for a4_training: skip-gram pairs, the negative-sampling loss,
masked mean pooling, the quizzes and the phone-model exercise.

One check per notebook test cell (the check's name is the cell's grade_id); each
covers one rule the notebook states, so a function that breaks one rule loses
that cell's points and keeps the others.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from autograder.checks.toolbox import (
    check, dtype_of, exact_pairs, finite_of, grad_of, matches, name_the_mistakes, number_as_tensor, quiz,
    seeded_randn, shape_of, tensor_or_none, tensors,
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

def _pairs(ids: list[int], window: int, *, self_too=False, right_only=False, positions=False) -> list[list[int]]:
    """The pairs computed in the grader, with one slip or none, as [[centre, context], ...]."""
    out = []
    for i in range(len(ids)):
        for j in range(i if right_only else max(0, i - window), min(len(ids), i + window + 1)):
            if j != i or self_too:
                out.append([i, j] if positions else [ids[i], ids[j]])
    return out


_PAIR_SLIPS = (
    ({"self_too": True}, "pairs each position with itself too: the context positions j are those with "
                         "0 < abs(i - j) <= window, so skip j == i"),
    ({"right_only": True}, "pairs each position only with the positions after it: the context is on both "
                           "sides, from i - window to i + window"),
    ({"positions": True}, "returns positions, not token ids: a pair is (token_ids[i], token_ids[j])"),
)


def _sorted_if_plain(pairs):
    """The pairs sorted, when they are plain [[int, int], ...]; anything else as is (it will not match)."""
    plain = type(pairs) is list and all(type(p) is list and all(type(v) is int for v in p) for p in pairs)
    return sorted(pairs) if plain else pairs


def _pairs_step(p, skipgram_pairs, ids, window, rule, out=None, what=None):
    """Judge the pairs for ``ids``: first the usual slips, then the set of pairs (``rule``), then their order."""
    plain_ids = [int(t) for t in ids]
    right = _pairs(plain_ids, window)
    what = what or f"skipgram_pairs({ids!r}, window={window})"
    if out is None:  # a copy: the ids above were read before student code could change them
        out = p.call(skipgram_pairs, list(ids) if type(ids) is list else ids.clone(), window, what=what)
    pairs = _pair_list(out)
    slipped = [(_pairs(plain_ids, window, **options), f"{what} {why}") for options, why in _PAIR_SLIPS]
    name_the_mistakes(p, pairs, [(wrong, message) for wrong, message in slipped
                                 if sorted(wrong) != sorted(right)])  # only the slips these ids can show
    p.expect(_sorted_if_plain(pairs), f"{what} gave the wrong pairs (not only in the wrong order): {rule}")
    p.expect(pairs, f"{what} gave the right pairs in the wrong order: for each position i in ascending "
                    "order, its context positions j in ascending order (not nearest first)")


@check
def skipgram_pairs_basic(p, skipgram_pairs):
    """skipgram_pairs: (centre, context) for every neighbour within the window."""
    _pairs_step(p, skipgram_pairs, [0, 1, 2], 1, "each position pairs with the positions at distance 1..window")
    _pairs_step(p, skipgram_pairs, [5, 6, 7, 8], 2, "each position pairs with the positions at distance 1..window")


@check
def skipgram_pairs_order(p, skipgram_pairs):
    """skipgram_pairs lists centres in ascending position, then contexts in ascending position."""
    rule = "each position pairs with the positions at distance 1..window"
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
    _pairs_step(p, skipgram_pairs, torch.tensor([], dtype=torch.int64), 2, "an empty tensor has no pairs",
                what="skipgram_pairs(an empty int64 tensor, window=2)")
    _pairs_step(p, skipgram_pairs, [4], 3, "a single token has no neighbours")
    _pairs_step(p, skipgram_pairs, [1, 2], 10, "a window longer than the sequence stops at its ends")


@check
def skipgram_pairs_tensor_input(p, skipgram_pairs):
    """skipgram_pairs takes int64/int32 tensors and returns tuples of Python ints."""
    for dtype in (torch.int64, torch.int32):
        ids = torch.tensor([4, 0, 2], dtype=dtype)
        what = f"skipgram_pairs(an {str(dtype)[6:]} tensor [4, 0, 2], window=1)"
        out = p.call(skipgram_pairs, ids.clone(), 1, what=what)
        p.expect(type(out) is list and all(type(item) is tuple and len(item) == 2 and all(type(v) is int for v in item)
                                           for item in out),
                 f"{what} should return a list of tuples of two Python ints (use int(...)), not tensors or lists")
        _pairs_step(p, skipgram_pairs, ids, 1, "each position pairs with its neighbours, as for a list",
                    out=out, what=what)


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


def _loss(center, context, negatives, sign=-1.0, over_k="sum", over_batch="mean"):
    """The loss computed here, in the grader, with one slip or none (in float64; differentiable
    when the grader's inputs require grad)."""
    center, context, negatives = (t.to(torch.float64) for t in (center, context, negatives))
    positive = F.logsigmoid((center * context).sum(-1))
    per_negative = F.logsigmoid(sign * torch.einsum("bd,bkd->bk", center, negatives))
    negative = per_negative.sum(-1) if over_k == "sum" else per_negative.mean(-1)
    per_pair = -positive - negative
    return per_pair.mean() if over_batch == "mean" else per_pair.sum()


# The usual slips, each named as a student would fix it. A result equal to what a slip
# gives fails the step that names it, before the cell's general rule.
_SLIPS = (
    ({"sign": 1.0}, "log σ(center·negative_k) for the negatives (no minus sign)",
     "each negative adds -log σ(-center·negative_k), with the minus sign inside σ, so that its score is pushed down"),
    ({"over_k": "mean"}, "a mean over the K negatives",
     "add the K negatives' terms up (Σ_k), do not average them"),
    ({"over_batch": "sum"}, "a sum over the pairs of the batch",
     "the batch loss is the mean of the pairs' losses"),
)


def _name_the_slip(p, out, inputs, where: str) -> None:
    """One step per slip this input can tell apart from the right loss (computed before student code ran)."""
    right = _loss(*inputs)
    slipped = [(_loss(*inputs, **options), f"negative_sampling_loss is wrong {where}, and its value is what "
                                           f"{slip} gives: {fix}") for options, slip, fix in _SLIPS]
    name_the_mistakes(p, number_as_tensor(out), [(value, message) for value, message in slipped
                                                 if abs(float(value - right)) > 1e-4])


@check
def negative_sampling_loss_basic(p, negative_sampling_loss):
    """negative_sampling_loss: a 0-dim float32 tensor with the right value."""
    center = torch.tensor([[1.0, 0.0]])
    out = p.call(negative_sampling_loss, center, torch.tensor([[1.0, 0.0]]), torch.tensor([[[0.0, 1.0]]]))
    p.expect(shape_of(out), "negative_sampling_loss should return a 0-dim tensor (shape ()), got {got}")
    p.expect(dtype_of(out), "negative_sampling_loss of float32 inputs returned {got}; it should be float32")
    p.expect(number_as_tensor(out), "negative_sampling_loss gave a wrong value for one pair with one negative: "
                                    "-log σ(center·context) - Σ_k log σ(-center·negative_k)", check_dtype=False)
    inputs = _loss_inputs(3, 2, 4, seed=1)
    # The first case has one pair and one negative orthogonal to center: it cannot tell the slips apart.
    out = p.call(negative_sampling_loss, *(t.clone() for t in inputs),
                 what="negative_sampling_loss(center (3, 4), context (3, 4), negatives (3, 2, 4))")
    _name_the_slip(p, out, inputs, "for 3 pairs with K=2 negatives each")
    p.expect(number_as_tensor(out), "negative_sampling_loss gave a wrong value for 3 pairs with K=2 negatives each "
                                    "(it was right for one pair with one negative orthogonal to center): compare "
                                    "each term with -log σ(center·context) - Σ_k log σ(-center·negative_k), "
                                    "averaged over the pairs", check_dtype=False)


@check
def negative_sampling_loss_negatives(p, negative_sampling_loss):
    """negative_sampling_loss uses σ(-center·negative) for the negatives, summed over K."""
    for k in (1, 4):
        # One pair only, so this cell judges the negatives' term and nothing about the batch.
        center, context, negatives = _loss_inputs(1, k, 5, seed=10 + k)
        context = torch.zeros_like(context)  # isolate the negatives' term
        out = p.call(negative_sampling_loss, center.clone(), context.clone(), negatives.clone())
        _name_the_slip(p, out, (center, context, negatives), f"for K={k} negatives")
        p.expect(number_as_tensor(out), f"negative_sampling_loss is wrong for K={k} negatives: each negative adds "
                                        "-log σ(-center·negative) (the minus sign inside σ), and the K terms are "
                                        "added up", check_dtype=False)


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
        out = p.call(negative_sampling_loss, center.clone(), context.clone(), negatives.clone())
        p.expect(finite_of(number_as_tensor(out)), "negative_sampling_loss is not finite (inf or NaN) when dot products "
                                          "are ±1000: torch.log(torch.sigmoid(x)) underflows to log(0), use "
                                          "torch.nn.functional.logsigmoid(x)")
        _name_the_slip(p, out, (center, context, negatives), "when dot products are ±1000")
        p.expect(number_as_tensor(out), "negative_sampling_loss is finite but wrong when dot products are ±1000: "
                               "-log σ(center·context) - Σ_k log σ(-center·negative_k), as for small ones",
                 atol=1e-3, check_dtype=False)


def _expected_gradients(inputs) -> tuple[torch.Tensor, ...]:
    """The gradients of the right loss with respect to each input, computed in the grader."""
    copies = [t.detach().clone().requires_grad_() for t in inputs]
    _loss(*copies).backward()
    return tuple(t.grad for t in copies)


@check
def negative_sampling_loss_gradient(p, negative_sampling_loss):
    """negative_sampling_loss is differentiable: gradients reach center, context and negatives."""
    inputs = _loss_inputs(3, 2, 4, seed=30)
    right_value, right_gradients = _loss(*inputs), _expected_gradients(inputs)
    center, context, negatives = (t.clone().requires_grad_() for t in inputs)
    out = p.call(negative_sampling_loss, center, context, negatives)
    loss = tensor_or_none(out)
    p.expect(loss is not None and tensors.requires_grad(loss),
             "negative_sampling_loss should return a tensor still attached to the graph (no .item(), "
             ".detach() or numpy inside)")
    if loss is not None and tensors.requires_grad(loss) and tensors.numel(loss) == 1:
        p.call(lambda: tensors.backward(loss), what="loss.backward()")
    names = ("center", "context", "negatives")
    for name, tensor in zip(names, (center, context, negatives)):
        p.expect(grad_of(tensor) is not None,
                 f"no gradient reached {name} after loss.backward(): part of negative_sampling_loss cuts "
                 f"{name} off the graph (.detach(), .data, .item() or numpy)")
    value_right = matches(number_as_tensor(out), right_value)
    for name, tensor, right in zip(names, (center, context, negatives), right_gradients):
        # A wrong formula gives a wrong gradient: said as such, not as a graph problem.
        p.expect(value_right or matches(grad_of(tensor), right),
                 f"the gradient with respect to {name} is wrong, and so is the loss's value for these inputs "
                 "(3 pairs, K=2 negatives): fix the value first (the other negative_sampling_loss cells say "
                 "how); the gradient follows from it")
    for name, tensor in zip(names, (center, context, negatives)):
        p.expect(grad_of(tensor), f"negative_sampling_loss gives the right value but the wrong gradient with "
                                  f"respect to {name}: part of the loss is cut off the graph (.detach(), .data or "
                                  "a tensor rebuilt from values), so backward() leaves it out", check_dtype=False)


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

def _pool_slips(vectors, mask):
    """What the usual slips give on these inputs (computed in the grader), with how to fix each."""
    vectors, weights = vectors.to(torch.float64), mask.to(torch.float64).unsqueeze(-1)
    counts = mask.sum(dim=1, keepdim=True).to(torch.float64)
    prefix = (torch.arange(mask.shape[1]) < counts).to(torch.float64).unsqueeze(-1)
    return (
        ((vectors * weights).sum(dim=1) / mask.shape[1],
         "masked_mean_pool divides each row's sum by L, the padded length: divide by that row's number of "
         "True positions"),
        (vectors.mean(dim=1),
         "masked_mean_pool averages every position, padding included: only the positions where mask is True "
         "count, in the sum and in the number you divide by"),
        ((vectors * prefix).sum(dim=1) / counts,
         "masked_mean_pool averages the first n positions of each row (n = its number of True): use the mask "
         "itself, True positions can be anywhere"),
    )


def _pool_step(p, masked_mean_pool, vectors, mask, rule, check_dtype=False):
    right = (vectors * mask.unsqueeze(-1)).sum(dim=1) / mask.sum(dim=1, keepdim=True).clamp(min=1)
    slips = [(value, why) for value, why in _pool_slips(vectors, mask)
             if not matches(value, right.to(torch.float64))]  # only the slips these inputs tell apart
    out = p.call(masked_mean_pool, vectors.clone(), mask.clone())
    name_the_mistakes(p, out, slips)
    p.expect(out, f"masked_mean_pool gave wrong values: {rule}", check_dtype=check_dtype)


@check
def masked_mean_pool_basic(p, masked_mean_pool):
    """masked_mean_pool: the mean of each row's vectors where the mask is True, shape (B, d)."""
    vectors = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [[2.0, 0.0], [4.0, 2.0], [9.0, 9.0]]])
    mask = torch.tensor([[True, True, True], [True, True, False]])
    out = p.call(masked_mean_pool, vectors, mask)
    p.expect(shape_of(out), "masked_mean_pool of vectors (B, L, d) should have shape (B, d), got {got}")
    _pool_step(p, masked_mean_pool, vectors, mask, "the mean over the positions where mask is True")
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

quiz_pair_count_answer = quiz("quiz_pair_count", "Quiz: how many skip-gram pairs a 5-token sentence gives with window 2.",
                              reread="the section on skip-gram pairs")
quiz_why_together_answer = quiz("quiz_why_together", "Quiz: why 忐 and 忑 end up with nearly the same vector.",
                                reread="the section on input and output vectors")
quiz_sentiment_apart_answer = quiz("quiz_sentiment_apart", "Quiz: why sentiment training pushes 喜欢 and 讨厌 apart.",
                                   reread="the section on training from labels")
quiz_phone_parameters_answer = quiz("quiz_phone_parameters", "Quiz: parameters of an embedding versus a bias-free one-hot linear layer.",
                                    reread="the section on embedding a categorical feature")


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
