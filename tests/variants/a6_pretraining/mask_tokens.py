"""mask_tokens variants (a6_pretraining): correct ways written differently, and real misconceptions."""
import torch

EXPECTED_FAILURES = {
    'wrong_always_mask': {'mask_tokens_basic', 'mask_tokens_actions'},
    'wrong_chooses_special': {'mask_tokens_basic', 'mask_tokens_special', 'mask_tokens_p'},
    'wrong_mask_up_to_0_8': {'mask_tokens_actions'},
    'wrong_labels_are_inputs': {'mask_tokens_basic', 'mask_tokens_special', 'mask_tokens_labels'},
    'wrong_labels_zero': {'mask_tokens_basic', 'mask_tokens_special', 'mask_tokens_labels', 'mask_tokens_p'},
    'wrong_at_most_p': {'mask_tokens_labels'},
    'wrong_fixed_rate': {'mask_tokens_p'},
    'wrong_no_checks': {'mask_tokens_errors'},
    'wrong_in_place': {'mask_tokens_new_tensors'},
    'wrong_keeps_int32': {'mask_tokens_new_tensors'},
}
# The exact feedback of every wrong variant: each message true of that mistake (tests/checks/test_messages.py).
EXPECTED_MESSAGES = {
    'wrong_always_mask': {
        'mask_tokens_basic': (
            'mask_tokens writes [MASK] at every chosen position: only where u_action < 0.8; from 0.8 '
            "up to 0.9 the position gets random_ids' id, and from 0.9 it keeps its own id (the "
            "notebook's example)"
        ),
        'mask_tokens_actions': (
            'mask_tokens writes [MASK] at every chosen position: only where u_action < 0.8; from 0.8 '
            "up to 0.9 the position gets random_ids' id, and from 0.9 it keeps its own id (every "
            'position chosen, u_action from 0.0 to 0.9999)'
        ),
    },
    'wrong_chooses_special': {
        'mask_tokens_basic': (
            'mask_tokens chooses special positions ([CLS], [PAD]): a position where special is True '
            "is never chosen, whatever u_select says (the notebook's example)"
        ),
        'mask_tokens_special': (
            'mask_tokens chooses special positions ([CLS], [PAD]): a position where special is True '
            'is never chosen, whatever u_select says (every u_select 0, special True at [CLS], [PAD] '
            'and one ordinary id)'
        ),
        'mask_tokens_p': (
            'mask_tokens chose the wrong positions (p=1.0, so every non-special position should be; '
            'chosen = labels not -100): use p: a position is chosen when u_select < p'
        ),
    },
    'wrong_mask_up_to_0_8': {
        'mask_tokens_actions': (
            'mask_tokens writes [MASK] where u_action is exactly 0.8: [MASK] only below 0.8 (u_action'
            ' < 0.8); 0.8 gets the random id (every position chosen, u_action from 0.0 to 0.9999)'
        ),
    },
    'wrong_labels_are_inputs': {
        'mask_tokens_basic': (
            "mask_tokens' labels hold the hidden input ([MASK] or the random id) at the chosen "
            "positions: the label is the original id, what the model must guess (the notebook's "
            'example)'
        ),
        'mask_tokens_special': (
            "mask_tokens' labels hold the hidden input ([MASK] or the random id) at the chosen "
            'positions: the label is the original id, what the model must guess (every u_select 0, '
            'special True at [CLS], [PAD] and one ordinary id)'
        ),
        'mask_tokens_labels': (
            "mask_tokens' labels hold the hidden input ([MASK] or the random id) at the chosen "
            'positions: the label is the original id, what the model must guess (u_select 0.15 '
            'exactly at three positions)'
        ),
    },
    'wrong_labels_zero': {
        'mask_tokens_basic': (
            "mask_tokens' labels hold 0 at the positions that are not chosen: they must hold -100, "
            "the value the loss skips (the notebook's example)"
        ),
        'mask_tokens_special': (
            "mask_tokens' labels hold 0 at the positions that are not chosen: they must hold -100, "
            'the value the loss skips (every u_select 0, special True at [CLS], [PAD] and one '
            'ordinary id)'
        ),
        'mask_tokens_labels': (
            "mask_tokens' labels hold 0 at the positions that are not chosen: they must hold -100, "
            'the value the loss skips (u_select 0.15 exactly at three positions)'
        ),
        'mask_tokens_p': (
            "mask_tokens' labels hold 0 at the positions that are not chosen: they must hold -100, "
            'the value the loss skips (p=0.0, so no position should be chosen)'
        ),
    },
    'wrong_at_most_p': {
        'mask_tokens_labels': (
            "mask_tokens' labels mark a position whose u_select equals p as chosen: a position is "
            'chosen only when u_select < p, strictly (u_select 0.15 exactly at three positions)'
        ),
    },
    'wrong_fixed_rate': {
        'mask_tokens_p': (
            'mask_tokens chose the wrong positions (p=0.0, so no position should be chosen; chosen = '
            'labels not -100): use p: a position is chosen when u_select < p'
        ),
    },
    'wrong_no_checks': {
        'mask_tokens_errors': (
            'mask_tokens(..., p=-0.1) should raise ValueError (p is a probability, within [0, 1]), '
            'but raised no exception'
        ),
    },
    'wrong_in_place': {
        'mask_tokens_new_tensors': (
            'mask_tokens changed the ids tensor it was given (int64 ids; an in-place write such as '
            'ids[chosen] = ...): build new tensors (torch.where, or .clone() first)'
        ),
    },
    'wrong_keeps_int32': {
        'mask_tokens_new_tensors': (
            'mask_tokens of int32 ids returned inputs as int32; they should be int64 '
            '(ids.to(torch.int64) first)'
        ),
    },
}


def correct_masks(ids, special, u_select, u_action, random_ids, mask_id, p=0.15):
    if not 0 <= p <= 1:
        raise ValueError(f"p = {p} is not a probability")
    if any(t.shape != ids.shape for t in (special, u_select, u_action, random_ids)):
        raise ValueError("special, u_select, u_action and random_ids must have ids's shape")
    ids = ids.long()
    chosen = (u_select < p) & ~special.bool()
    inputs = ids.clone()
    inputs[chosen & (u_action < 0.8)] = mask_id
    randomised = chosen & (u_action >= 0.8) & (u_action < 0.9)
    inputs[randomised] = random_ids.long()[randomised]
    labels = torch.full_like(ids, -100)
    labels[chosen] = ids[chosen]
    return inputs, labels


def correct_loop(ids, special, u_select, u_action, random_ids, mask_id, p=0.15):
    if p != p or p < 0 or p > 1:
        raise ValueError("p must be within [0, 1]")
    for other in (special, u_select, u_action, random_ids):
        if tuple(other.shape) != tuple(ids.shape):
            raise ValueError("shape mismatch")
    inputs = [[int(v) for v in row] for row in ids.tolist()]
    labels = [[-100] * len(row) for row in inputs]
    for b, row in enumerate(inputs):
        for i, token in enumerate(row):
            if bool(special[b, i]) or not float(u_select[b, i]) < p:
                continue
            labels[b][i] = token
            action = float(u_action[b, i])
            if action < 0.8:
                row[i] = mask_id
            elif action < 0.9:
                row[i] = int(random_ids[b, i])
    return (torch.tensor(inputs, dtype=torch.int64).reshape(ids.shape),
            torch.tensor(labels, dtype=torch.int64).reshape(ids.shape))


def correct_where_chain(ids, special, u_select, u_action, random_ids, mask_id, p=0.15):
    if not (0.0 <= p <= 1.0):
        raise ValueError("p outside [0, 1]")
    for name, t in {"special": special, "u_select": u_select, "u_action": u_action, "random_ids": random_ids}.items():
        if t.shape != ids.shape:
            raise ValueError(f"{name} shape")
    ids = ids.to(torch.int64)
    chosen = torch.logical_and(u_select < p, torch.logical_not(special))
    action = torch.where(u_action < 0.8, 0, torch.where(u_action < 0.9, 1, 2))
    inputs = torch.where(chosen & (action == 0), mask_id, ids)
    inputs = torch.where(chosen & (action == 1), random_ids.to(torch.int64), inputs)
    return inputs, torch.where(chosen, ids, -100)


def _checked_masking(ids, special, u_select, u_action, random_ids, p):
    if not 0 <= p <= 1:
        raise ValueError("p must be within [0, 1]")
    for t in (special, u_select, u_action, random_ids):
        if t.shape != ids.shape:
            raise ValueError("shape mismatch")
    return ids.to(torch.int64)


def wrong_always_mask(ids, special, u_select, u_action, random_ids, mask_id, p=0.15):
    """Writes [MASK] at every chosen position: forgets BERT's 10% random and 10% unchanged."""
    ids = _checked_masking(ids, special, u_select, u_action, random_ids, p)
    chosen = (u_select < p) & ~special
    return torch.where(chosen, torch.full_like(ids, mask_id), ids), torch.where(chosen, ids, torch.full_like(ids, -100))


def wrong_chooses_special(ids, special, u_select, u_action, random_ids, mask_id, p=0.15):
    """Ignores special: [CLS] and [PAD] can be chosen, masked and labelled."""
    ids = _checked_masking(ids, special, u_select, u_action, random_ids, p)
    chosen = u_select < p
    inputs = torch.where(chosen & (u_action < 0.8), torch.full_like(ids, mask_id), ids)
    inputs = torch.where(chosen & (u_action >= 0.8) & (u_action < 0.9), random_ids.to(torch.int64), inputs)
    return inputs, torch.where(chosen, ids, torch.full_like(ids, -100))


def wrong_mask_up_to_0_8(ids, special, u_select, u_action, random_ids, mask_id, p=0.15):
    """Off by one at the boundary: u_action <= 0.8 gets [MASK] (0.8 itself should get the random id)."""
    ids = _checked_masking(ids, special, u_select, u_action, random_ids, p)
    chosen = (u_select < p) & ~special
    inputs = torch.where(chosen & (u_action <= 0.8), torch.full_like(ids, mask_id), ids)
    inputs = torch.where(chosen & (u_action > 0.8) & (u_action < 0.9), random_ids.to(torch.int64), inputs)
    return inputs, torch.where(chosen, ids, torch.full_like(ids, -100))


def wrong_labels_are_inputs(ids, special, u_select, u_action, random_ids, mask_id, p=0.15):
    """Labels copied from the hidden inputs ([MASK] or the random id), not from the original ids."""
    ids = _checked_masking(ids, special, u_select, u_action, random_ids, p)
    chosen = (u_select < p) & ~special
    inputs = torch.where(chosen & (u_action < 0.8), torch.full_like(ids, mask_id), ids)
    inputs = torch.where(chosen & (u_action >= 0.8) & (u_action < 0.9), random_ids.to(torch.int64), inputs)
    return inputs, torch.where(chosen, inputs, torch.full_like(ids, -100))


def wrong_labels_zero(ids, special, u_select, u_action, random_ids, mask_id, p=0.15):
    """Labels 0 (not -100) where a position is not chosen, so the loss counts them as real tokens."""
    ids = _checked_masking(ids, special, u_select, u_action, random_ids, p)
    chosen = (u_select < p) & ~special
    inputs = torch.where(chosen & (u_action < 0.8), torch.full_like(ids, mask_id), ids)
    inputs = torch.where(chosen & (u_action >= 0.8) & (u_action < 0.9), random_ids.to(torch.int64), inputs)
    return inputs, torch.where(chosen, ids, torch.zeros_like(ids))


def wrong_at_most_p(ids, special, u_select, u_action, random_ids, mask_id, p=0.15):
    """Chooses u_select <= p (not strictly below p)."""
    ids = _checked_masking(ids, special, u_select, u_action, random_ids, p)
    chosen = (u_select <= p) & ~special
    inputs = torch.where(chosen & (u_action < 0.8), torch.full_like(ids, mask_id), ids)
    inputs = torch.where(chosen & (u_action >= 0.8) & (u_action < 0.9), random_ids.to(torch.int64), inputs)
    return inputs, torch.where(chosen, ids, torch.full_like(ids, -100))


def wrong_fixed_rate(ids, special, u_select, u_action, random_ids, mask_id, p=0.15):
    """Uses 0.15 whatever p is given."""
    ids = _checked_masking(ids, special, u_select, u_action, random_ids, p)
    chosen = (u_select < 0.15) & ~special
    inputs = torch.where(chosen & (u_action < 0.8), torch.full_like(ids, mask_id), ids)
    inputs = torch.where(chosen & (u_action >= 0.8) & (u_action < 0.9), random_ids.to(torch.int64), inputs)
    return inputs, torch.where(chosen, ids, torch.full_like(ids, -100))


def wrong_no_checks(ids, special, u_select, u_action, random_ids, mask_id, p=0.15):
    """Never checks p or the shapes (a NaN p chooses nothing; a short special fails inside torch)."""
    ids = ids.to(torch.int64)
    chosen = (u_select < p) & ~special
    inputs = torch.where(chosen & (u_action < 0.8), torch.full_like(ids, mask_id), ids)
    inputs = torch.where(chosen & (u_action >= 0.8) & (u_action < 0.9), random_ids.to(torch.int64), inputs)
    return inputs, torch.where(chosen, ids, torch.full_like(ids, -100))


def wrong_in_place(ids, special, u_select, u_action, random_ids, mask_id, p=0.15):
    """Writes [MASK] and the random ids into the caller's ids (when they are already int64)."""
    if not 0 <= p <= 1:
        raise ValueError("p must be within [0, 1]")
    for t in (special, u_select, u_action, random_ids):
        if t.shape != ids.shape:
            raise ValueError("shape mismatch")
    chosen = (u_select < p) & ~special
    labels = torch.where(chosen, ids, torch.full_like(ids, -100)).to(torch.int64)
    inputs = ids.to(torch.int64)  # the same tensor when ids is int64 already
    inputs[chosen & (u_action < 0.8)] = mask_id
    randomised = chosen & (u_action >= 0.8) & (u_action < 0.9)
    inputs[randomised] = random_ids.to(torch.int64)[randomised]
    return inputs, labels


def wrong_keeps_int32(ids, special, u_select, u_action, random_ids, mask_id, p=0.15):
    """Keeps ids's dtype: int32 ids give int32 inputs and labels."""
    if not 0 <= p <= 1:
        raise ValueError("p must be within [0, 1]")
    for t in (special, u_select, u_action, random_ids):
        if t.shape != ids.shape:
            raise ValueError("shape mismatch")
    chosen = (u_select < p) & ~special
    inputs = torch.where(chosen & (u_action < 0.8), torch.full_like(ids, mask_id), ids)
    inputs = torch.where(chosen & (u_action >= 0.8) & (u_action < 0.9), random_ids.to(ids.dtype), inputs)
    return inputs, torch.where(chosen, ids, torch.full_like(ids, -100))
