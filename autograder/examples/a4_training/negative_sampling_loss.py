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
}
# The exact feedback of a wrong variant, where the wording matters (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    'wrong_mean_over_negatives': {
        'negative_sampling_loss_basic': 'negative_sampling_loss gave a wrong value for 3 pairs with K=2 negatives each (it was right for one pair with one negative orthogonal to center): check the minus sign in log σ(-center·negative_k), the sum (not the mean) over the K negatives and the mean (not the sum) over the batch',
        'negative_sampling_loss_gradient': "the gradient with respect to center reaches it but has wrong values: when the loss's value is wrong too, fix that first (the other negative_sampling_loss cells say how); when the value is right, part of the loss is cut off the graph (.detach(), .data or .item())",
        'negative_sampling_loss_negatives': 'negative_sampling_loss is wrong for K=4 negatives: each negative adds -log σ(-center·negative) (note the minus sign), summed over K',
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
