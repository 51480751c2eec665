"""mlm_loss: the mean cross-entropy over the labelled positions (label -100 is skipped)."""
from __future__ import annotations

import torch
import torch.nn.functional as F

from autograder.checks.toolbox import tensors
from autograder.checks.toolbox import check
from autograder.checks.toolbox import (
    backprop, dtype_of, finite_of, grad_of, matches, name_the_mistakes, number_as_tensor, requires_grad_of,
    seeded_randn, shape_of, tensor_or_none,
)

from ._inputs import generator


def _per_position(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """-log softmax(logits)[label] at every position (0 where the label is -100), in float64."""
    flat = logits.reshape(-1, logits.shape[-1]).to(torch.float64)
    return F.cross_entropy(flat, labels.reshape(-1), ignore_index=-100, reduction="none")


def _loss(logits, labels, over: str = "labelled") -> torch.Tensor:
    terms, count = _per_position(logits, labels), int((labels != -100).sum())
    if over == "sum":
        return terms.sum()
    if over == "all":
        return terms.sum() / labels.numel()
    return terms.sum() / max(count, 1)


def _name_the_slips(p, out, logits, labels, where: str) -> None:
    right = _loss(logits, labels)
    slips = [(_loss(logits, labels, "all"), "divides by every position, labelled or not: divide the sum by the "
                                            "number of labelled positions (labels != -100)"),
             (_loss(logits, labels, "sum"), "is the sum over the labelled positions: take their mean")]
    name_the_mistakes(p, number_as_tensor(out), [(value, f"For {where}, mlm_loss {why}") for value, why in slips
                                                 if abs(float(value - right)) > 1e-4])


def _labels(shape, vocab: int, seed: int, skipped: float = 0.5) -> torch.Tensor:
    g = generator(seed)
    labels = torch.randint(0, vocab, shape, generator=g)
    return torch.where(torch.rand(shape, generator=g) < skipped, torch.full(shape, -100), labels)


@check
def mlm_loss_basic(p, mlm_loss):
    """mlm_loss: a 0-dim float32 tensor, the mean cross-entropy over the labelled positions."""
    labels = torch.tensor([[2, -100, 0]])
    out = p.call(mlm_loss, torch.zeros(1, 3, 4), labels.clone(),
                 what="mlm_loss(equal logits of shape (1, 3, 4), labels [[2, -100, 0]])")
    p.expect(shape_of(out), "mlm_loss should return a 0-dim tensor (shape ()), got {got}")
    p.expect(dtype_of(out), "mlm_loss of float32 logits returned {got}; it should be float32")
    _name_the_slips(p, out, torch.zeros(1, 3, 4), labels, "the notebook's example (equal logits, labels [[2, -100, 0]])")
    p.expect(number_as_tensor(out), "mlm_loss of equal logits over 4 tokens should be log 4 (each labelled "
                                    "position costs log V, and so does their mean)", check_dtype=False)
    logits, labels = seeded_randn(2, 5, 7, seed=40, scale=2.0), _labels((2, 5), 7, seed=41)
    where = "logits of shape (2, 5, 7), 4 of the 10 labels -100"
    out = p.call(mlm_loss, logits.clone(), labels.clone(), what=f"mlm_loss({where})")
    _name_the_slips(p, out, logits, labels, where)
    p.expect(number_as_tensor(out), f"mlm_loss gave a wrong value ({where}): the mean over the labelled positions "
                                    "of -log softmax(logits)[label]", check_dtype=False)


@check
def mlm_loss_ignores_unlabelled(p, mlm_loss):
    """mlm_loss averages over the labelled positions only: -100 counts neither in the sum nor in the count."""
    logits = seeded_randn(3, 4, 5, seed=42)
    logits[0, 1] = 50.0 * torch.arange(5)  # an unlabelled position with extreme scores: it must not count
    labels = torch.tensor([[1, -100, -100, 4], [-100, 0, -100, -100], [2, -100, 3, -100]])
    where = "logits of shape (3, 4, 5), 7 of the 12 labels -100"
    out = p.call(mlm_loss, logits.clone(), labels.clone(), what=f"mlm_loss({where})")
    p.expect(finite_of(number_as_tensor(out)), f"mlm_loss gave NaN or inf ({where}; one unlabelled position has "
                                               "scores up to 200): a position labelled -100 must not enter the sum "
                                               "at all, not even multiplied by 0 (-inf · 0 is NaN)")
    _name_the_slips(p, out, logits, labels, where)
    p.expect(number_as_tensor(out), f"mlm_loss gave a wrong value ({where}): a position labelled -100 counts "
                                    "neither in the sum nor in the count", check_dtype=False)
    one = torch.tensor([[-100, -100, 2]])
    where = "only the last of 3 positions labelled"
    logits = seeded_randn(1, 3, 4, seed=43)
    out = p.call(mlm_loss, logits.clone(), one, what=f"mlm_loss({where})")
    _name_the_slips(p, out, logits, one, where)
    p.expect(number_as_tensor(out), f"mlm_loss gave a wrong value ({where}): with one labelled position the loss is "
                                    "that position's -log softmax(logits)[label]", check_dtype=False)


@check
def mlm_loss_no_labels(p, mlm_loss):
    """mlm_loss: no labelled position gives 0.0 (never NaN), still connected to the logits."""
    logits = seeded_randn(2, 3, 5, seed=44).requires_grad_()
    out = p.call(mlm_loss, logits, torch.full((2, 3), -100), what="mlm_loss(logits of shape (2, 3, 5), every label -100)")
    p.expect(finite_of(number_as_tensor(out)), "mlm_loss gave NaN or inf when every label is -100 (0 / 0: no "
                                               "labelled position): return 0.0 then, e.g. divide by the count "
                                               "clamped to at least 1")
    p.expect(number_as_tensor(out), "mlm_loss should be 0.0 when every label is -100", check_dtype=False)
    loss = tensor_or_none(out)
    p.expect(loss is not None and tensors.requires_grad(loss),
             "mlm_loss's 0.0 (every label -100) should still be computed from the logits, attached to the graph "
             "(not a new torch.tensor(0.0)): training calls backward() on it")
    if loss is not None and tensors.requires_grad(loss) and tensors.numel(loss) == 1:
        p.call(lambda: tensors.backward(loss), what="mlm_loss(...).backward() with every label -100")
        p.expect(grad_of(logits), "with every label -100 the gradient of the logits should be all 0.0 (nothing "
                                  "is learned from a batch without blanks)", check_dtype=False)


@check
def mlm_loss_extreme(p, mlm_loss):
    """mlm_loss is finite and right for logits of ±1000."""
    logits = torch.tensor([[[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0], [0.0, 0.0, 1000.0]]])
    labels = torch.tensor([[1, 1, 0]])  # 2000, 0 and 1000: the softmax of the label underflows to 0 at two places
    out = p.call(mlm_loss, logits.clone(), labels.clone(), what="mlm_loss(logits of ±1000)")
    p.expect(finite_of(number_as_tensor(out)), "mlm_loss is not finite (inf or NaN) for logits of ±1000: "
                                               "torch.log(torch.softmax(x)) underflows to log(0); use "
                                               "F.cross_entropy or torch.log_softmax")
    p.expect(number_as_tensor(out), "mlm_loss is finite but wrong for logits of ±1000: the mean of "
                                    "-log softmax(logits)[label], as for small ones", atol=1e-2, check_dtype=False)


@check
def mlm_loss_dtype(p, mlm_loss):
    """mlm_loss returns a 0-dim tensor in the logits' dtype (float64 stays float64)."""
    for dtype in (torch.float64, torch.float32):
        name = str(dtype).removeprefix("torch.")
        out = p.call(mlm_loss, seeded_randn(2, 3, 4, seed=45, dtype=dtype), _labels((2, 3), 4, seed=46),
                     what=f"mlm_loss({name} logits of shape (2, 3, 4))")
        p.expect(shape_of(out), f"mlm_loss of {name} logits should return a 0-dim tensor (shape ()), got {{got}}")
        p.expect(dtype_of(out), f"mlm_loss of {name} logits returned {{got}}; it should be {name} (the logits' dtype)")


@check
def mlm_loss_gradient(p, mlm_loss):
    """mlm_loss: its gradient with respect to the logits is right (nothing cut off the graph)."""
    values, labels = seeded_randn(2, 4, 6, seed=47), _labels((2, 4), 6, seed=48, skipped=0.4)
    reference = values.clone().requires_grad_()
    right_value = _loss(reference, labels)
    right_value.backward()
    right_gradient = torch.zeros_like(values) if reference.grad is None else reference.grad
    logits = values.clone().requires_grad_()
    out = p.call(mlm_loss, logits, labels.clone(), what="mlm_loss(logits of shape (2, 4, 6) that need a gradient)")
    loss = tensor_or_none(out)
    p.expect(requires_grad_of(loss) is True, "mlm_loss should return a tensor still attached to the graph (no "
                                             ".item(), .detach() or numpy inside)")
    if loss is not None and tensors.requires_grad(loss) and tensors.numel(loss) == 1:
        p.call(lambda: backprop(loss, torch.ones(())), what="mlm_loss(...).backward()")
    p.expect(grad_of(logits) is not None, "no gradient reached the logits after backward(): part of mlm_loss cuts "
                                          "them off the graph (.detach(), .data, .item() or numpy)")
    p.expect(matches(number_as_tensor(out), right_value.detach()) or matches(grad_of(logits), right_gradient),
             "the gradient of the logits is wrong, and so is mlm_loss's value for these inputs: fix the value first "
             "(the other mlm_loss cells say how); the gradient follows from it")
    p.expect(grad_of(logits), "mlm_loss gives the right value but the wrong gradient of the logits: part of the "
                              "loss is cut off the graph (.detach(), .data or a count or tensor rebuilt from values "
                              "that should not be)", check_dtype=False)
