"""mlm_loss variants (a6_pretraining): correct ways written differently, and real misconceptions."""
import torch
import torch.nn.functional as F

EXPECTED_FAILURES = {
    'wrong_all_positions': {'mlm_loss_basic', 'mlm_loss_ignores_unlabelled', 'mlm_loss_gradient'},
    'wrong_sum': {'mlm_loss_basic', 'mlm_loss_ignores_unlabelled', 'mlm_loss_extreme', 'mlm_loss_gradient'},
    'wrong_nan_without_labels': {'mlm_loss_no_labels'},
    'wrong_new_zero': {'mlm_loss_no_labels'},
    'wrong_log_of_softmax': {'mlm_loss_ignores_unlabelled', 'mlm_loss_extreme'},
    'wrong_always_float32': {'mlm_loss_dtype'},
    'wrong_detached_count': {'mlm_loss_gradient'},
}
# The exact feedback of every wrong variant: each message true of that mistake (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    'wrong_all_positions': {
        'mlm_loss_basic': (
            "For the notebook's example (equal logits, labels [[2, -100, 0]]), mlm_loss divides by "
            'every position, labelled or not: divide the sum by the number of labelled positions '
            '(labels != -100)'
        ),
        'mlm_loss_ignores_unlabelled': (
            'For logits of shape (3, 4, 5), 7 of the 12 labels -100, mlm_loss divides by every '
            'position, labelled or not: divide the sum by the number of labelled positions (labels !='
            ' -100)'
        ),
        'mlm_loss_gradient': (
            "the gradient of the logits is wrong, and so is mlm_loss's value for these inputs: fix "
            'the value first (the other mlm_loss cells say how); the gradient follows from it'
        ),
    },
    'wrong_sum': {
        'mlm_loss_basic': (
            "For the notebook's example (equal logits, labels [[2, -100, 0]]), mlm_loss is the sum "
            'over the labelled positions: take their mean'
        ),
        'mlm_loss_ignores_unlabelled': (
            'For logits of shape (3, 4, 5), 7 of the 12 labels -100, mlm_loss is the sum over the '
            'labelled positions: take their mean'
        ),
        'mlm_loss_extreme': (
            'mlm_loss is finite but wrong for logits of ±1000: the mean of -log '
            'softmax(logits)[label], as for small ones'
        ),
        'mlm_loss_gradient': (
            "the gradient of the logits is wrong, and so is mlm_loss's value for these inputs: fix "
            'the value first (the other mlm_loss cells say how); the gradient follows from it'
        ),
    },
    'wrong_nan_without_labels': {
        'mlm_loss_no_labels': (
            'mlm_loss gave NaN or inf when every label is -100 (0 / 0: no labelled position): return '
            '0.0 then, e.g. divide by the count clamped to at least 1'
        ),
    },
    'wrong_new_zero': {
        'mlm_loss_no_labels': (
            "mlm_loss's 0.0 (every label -100) should still be computed from the logits, attached to "
            'the graph (not a new torch.tensor(0.0)): training calls backward() on it'
        ),
    },
    'wrong_log_of_softmax': {
        'mlm_loss_ignores_unlabelled': (
            'mlm_loss gave NaN or inf (logits of shape (3, 4, 5), 7 of the 12 labels -100; one '
            'unlabelled position has scores up to 200): a position labelled -100 must not enter the '
            'sum at all, not even multiplied by 0 (-inf · 0 is NaN)'
        ),
        'mlm_loss_extreme': (
            'mlm_loss is not finite (inf or NaN) for logits of ±1000: torch.log(torch.softmax(x)) '
            'underflows to log(0); use F.cross_entropy or torch.log_softmax'
        ),
    },
    'wrong_always_float32': {
        'mlm_loss_dtype': "mlm_loss of float64 logits returned float32; it should be float64 (the logits' dtype)",
    },
    'wrong_detached_count': {
        'mlm_loss_gradient': (
            'mlm_loss gives the right value but the wrong gradient of the logits: part of the loss is'
            ' cut off the graph (.detach(), .data or a count or tensor rebuilt from values that '
            'should not be)'
        ),
    },
}


def correct_masked_mean(logits, labels):
    flat = logits.reshape(-1, logits.shape[-1])
    target = labels.reshape(-1)
    keep = target != -100
    if not keep.any():
        return (flat * 0).sum()
    return F.cross_entropy(flat[keep], target[keep])


def correct_log_softmax(logits, labels):
    log_probs = torch.log_softmax(logits, dim=-1)
    keep = labels != -100
    picked = log_probs.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
    return -(picked * keep).sum() / keep.sum().clamp(min=1)


def correct_sum_over_count(logits, labels):
    total = F.cross_entropy(logits.flatten(0, -2), labels.flatten(), ignore_index=-100, reduction="sum")
    return total / max(int((labels != -100).sum()), 1)


def wrong_all_positions(logits, labels):
    """Divides by every position, labelled or not (the mean over B·L)."""
    total = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100,
                            reduction="sum")
    return total / labels.numel()


def wrong_sum(logits, labels):
    """Sums the labelled positions' losses instead of averaging them."""
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100,
                           reduction="sum")


def wrong_nan_without_labels(logits, labels):
    """F.cross_entropy's own mean: right, except NaN (0 / 0) when no position is labelled."""
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1))


def wrong_new_zero(logits, labels):
    """Returns a new torch.tensor(0.0) when nothing is labelled: not connected to the logits."""
    keep = labels != -100
    if not keep.any():
        return torch.tensor(0.0, dtype=logits.dtype)
    return F.cross_entropy(logits[keep], labels[keep])


def wrong_log_of_softmax(logits, labels):
    """torch.log(torch.softmax(...)): log(0) = -inf for a probability that underflows."""
    keep = labels != -100
    probs = torch.softmax(logits, dim=-1)
    picked = torch.log(probs.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1))
    return -(picked * keep).sum() / keep.sum().clamp(min=1)


def wrong_always_float32(logits, labels):
    """Computes in float32 whatever the logits' dtype."""
    total = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), labels.reshape(-1), reduction="sum")
    return total / (labels != -100).sum().clamp(min=1)


def wrong_detached_count(logits, labels):
    """Averages with the labelled positions' losses detached (a float rebuilt from values): no gradient."""
    keep = labels != -100
    losses = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), reduction="none")
    value = losses.detach().sum().item() / max(int(keep.sum()), 1)
    return logits.sum() * 0 + value
