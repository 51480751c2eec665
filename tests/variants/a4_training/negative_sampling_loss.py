"""negative_sampling_loss variants (a4_training): correct ways written differently, and real misconceptions."""
import numpy as np
import torch
import torch.nn.functional as F

EXPECTED_FAILURES = {
    'wrong_log_of_sigmoid': {'negative_sampling_loss_extreme'},
    'wrong_sign_of_negatives': {'negative_sampling_loss_basic', 'negative_sampling_loss_extreme', 'negative_sampling_loss_gradient', 'negative_sampling_loss_negatives'},
    'wrong_mean_over_negatives': {'negative_sampling_loss_basic', 'negative_sampling_loss_gradient', 'negative_sampling_loss_negatives'},
    'wrong_sum_over_batch': {'negative_sampling_loss_basic', 'negative_sampling_loss_batch_mean', 'negative_sampling_loss_gradient'},
    'wrong_python_float': {'negative_sampling_loss_float64', 'negative_sampling_loss_gradient'},
    'wrong_numpy': {'negative_sampling_loss_float64', 'negative_sampling_loss_gradient'},
    'wrong_detached_center_for_negatives': {'negative_sampling_loss_gradient'},
}
# The exact feedback of every wrong variant: each message true of that mistake (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    'wrong_log_of_sigmoid': {
        'negative_sampling_loss_extreme': (
            'negative_sampling_loss is not finite (inf or NaN) when dot products are ±1000: '
            'torch.log(torch.sigmoid(x)) underflows to log(0), use torch.nn.functional.logsigmoid(x)'
        ),
    },
    'wrong_sign_of_negatives': {
        'negative_sampling_loss_basic': (
            'negative_sampling_loss is wrong for 3 pairs with K=2 negatives each, and its value is what log '
            'σ(center·negative_k) for the negatives (no minus sign) gives: each negative adds -log '
            'σ(-center·negative_k), with the minus sign inside σ, so that its score is pushed down'
        ),
        'negative_sampling_loss_extreme': (
            'negative_sampling_loss is wrong when dot products are ±1000, and its value is what log '
            'σ(center·negative_k) for the negatives (no minus sign) gives: each negative adds -log '
            'σ(-center·negative_k), with the minus sign inside σ, so that its score is pushed down'
        ),
        'negative_sampling_loss_gradient': (
            "the gradient with respect to center is wrong, and so is the loss's value for these inputs (3 "
            'pairs, K=2 negatives): fix the value first (the other negative_sampling_loss cells say how); the'
            ' gradient follows from it'
        ),
        'negative_sampling_loss_negatives': (
            'negative_sampling_loss is wrong for K=1 negatives, and its value is what log '
            'σ(center·negative_k) for the negatives (no minus sign) gives: each negative adds -log '
            'σ(-center·negative_k), with the minus sign inside σ, so that its score is pushed down'
        ),
    },
    'wrong_mean_over_negatives': {
        'negative_sampling_loss_basic': (
            'negative_sampling_loss is wrong for 3 pairs with K=2 negatives each, and its value is what a '
            "mean over the K negatives gives: add the K negatives' terms up (Σ_k), do not average them"
        ),
        'negative_sampling_loss_gradient': (
            "the gradient with respect to center is wrong, and so is the loss's value for these inputs (3 "
            'pairs, K=2 negatives): fix the value first (the other negative_sampling_loss cells say how); the'
            ' gradient follows from it'
        ),
        'negative_sampling_loss_negatives': (
            'negative_sampling_loss is wrong for K=4 negatives, and its value is what a mean over the K '
            "negatives gives: add the K negatives' terms up (Σ_k), do not average them"
        ),
    },
    'wrong_sum_over_batch': {
        'negative_sampling_loss_basic': (
            'negative_sampling_loss is wrong for 3 pairs with K=2 negatives each, and its value is what a sum'
            " over the pairs of the batch gives: the batch loss is the mean of the pairs' losses"
        ),
        'negative_sampling_loss_batch_mean': (
            'negative_sampling_loss of the same pair repeated 5 times should equal its loss for one pair: '
            'take the mean over the batch'
        ),
        'negative_sampling_loss_gradient': (
            "the gradient with respect to center is wrong, and so is the loss's value for these inputs (3 "
            'pairs, K=2 negatives): fix the value first (the other negative_sampling_loss cells say how); the'
            ' gradient follows from it'
        ),
    },
    'wrong_python_float': {
        'negative_sampling_loss_float64': (
            'negative_sampling_loss of float64 inputs returned float32; it should keep float64'
        ),
        'negative_sampling_loss_gradient': (
            'negative_sampling_loss should return a tensor still attached to the graph (no .item(), .detach()'
            ' or numpy inside)'
        ),
    },
    'wrong_numpy': {
        'negative_sampling_loss_float64': (
            'negative_sampling_loss of float64 inputs returned float32; it should keep float64'
        ),
        'negative_sampling_loss_gradient': (
            'negative_sampling_loss should return a tensor still attached to the graph (no .item(), .detach()'
            ' or numpy inside)'
        ),
    },
    'wrong_detached_center_for_negatives': {
        'negative_sampling_loss_gradient': (
            'negative_sampling_loss gives the right value but the wrong gradient with respect to center: part'
            ' of the loss is cut off the graph (.detach(), .data or a tensor rebuilt from values), so '
            'backward() leaves it out'
        ),
    },
}


def correct_logsigmoid(center, context, negatives):
    positive = F.logsigmoid((center * context).sum(-1))
    negative = F.logsigmoid(-torch.bmm(negatives, center.unsqueeze(-1)).squeeze(-1)).sum(-1)
    return -(positive + negative).mean()


def correct_softplus(center, context, negatives):
    # -log σ(x) = softplus(-x)
    positive = F.softplus(-torch.einsum("bd,bd->b", center, context))
    negative = F.softplus(torch.einsum("bd,bkd->bk", center, negatives)).sum(dim=1)
    return (positive + negative).mean()


def correct_bce_with_logits(center, context, negatives):
    scores = torch.cat([(center * context).sum(-1, keepdim=True),
                        (negatives * center[:, None, :]).sum(-1)], dim=1)  # (B, 1 + K)
    targets = torch.zeros_like(scores)
    targets[:, 0] = 1.0
    per_score = F.binary_cross_entropy_with_logits(scores, targets, reduction="none")
    return per_score.sum(dim=1).mean()


def wrong_log_of_sigmoid(center, context, negatives):
    """torch.log(torch.sigmoid(x)): log(0) = -inf for dot products of -1000."""
    positive = torch.log(torch.sigmoid((center * context).sum(-1)))  # log(0) = -inf for large dots
    negative = torch.log(torch.sigmoid(-torch.einsum("bd,bkd->bk", center, negatives))).sum(-1)
    return -(positive + negative).mean()


def wrong_sign_of_negatives(center, context, negatives):
    """Forgets the minus sign: log σ(c·n) instead of log σ(-c·n) for negatives."""
    positive = F.logsigmoid((center * context).sum(-1))
    negative = F.logsigmoid(torch.einsum("bd,bkd->bk", center, negatives)).sum(-1)  # forgot the minus
    return -(positive + negative).mean()


def wrong_mean_over_negatives(center, context, negatives):
    """Averages over the K negatives instead of summing."""
    positive = F.logsigmoid((center * context).sum(-1))
    negative = F.logsigmoid(-torch.einsum("bd,bkd->bk", center, negatives)).mean(-1)  # mean, not sum, over K
    return -(positive + negative).mean()


def wrong_sum_over_batch(center, context, negatives):
    """Sums over the batch instead of taking the mean."""
    positive = F.logsigmoid((center * context).sum(-1))
    negative = F.logsigmoid(-torch.einsum("bd,bkd->bk", center, negatives)).sum(-1)
    return -(positive + negative).sum()


def wrong_python_float(center, context, negatives):
    """Rebuilds the result from .item(): a float32 tensor cut from the graph."""
    positive = F.logsigmoid((center * context).sum(-1))
    negative = F.logsigmoid(-torch.einsum("bd,bkd->bk", center, negatives)).sum(-1)
    return torch.tensor(-(positive + negative).mean().item())


def wrong_numpy(center, context, negatives):
    """Computes in numpy: no gradient, and always float32."""
    c, o, n = (t.detach().numpy().astype(np.float32) for t in (center, context, negatives))
    positive = -np.logaddexp(0.0, -(c * o).sum(-1))
    negative = -np.logaddexp(0.0, np.einsum("bd,bkd->bk", c, n)).sum(-1)
    return torch.from_numpy(np.asarray(-(positive + negative).mean(), dtype=np.float32))


def wrong_detached_center_for_negatives(center, context, negatives):
    """Detaches center in the negatives' term ("only the negatives should move there"): the value is right,
    but center's gradient lacks that term."""
    positive = F.logsigmoid((center * context).sum(-1))
    negative = F.logsigmoid(-torch.einsum("bd,bkd->bk", center.detach(), negatives)).sum(-1)
    return -(positive + negative).mean()
