"""mask_tokens: BERT's 80/10/10 masking, decided by the uniform draws the caller passes."""
from __future__ import annotations

import torch

from autograder.checks.toolbox import tensors
from autograder.checks.toolbox import check
from autograder.checks.toolbox import dtype_of, name_the_mistakes, shape_of

from ._inputs import float64, generator, is_tensor_pair, pair

MASK_ID = 3


def _draws(ids: torch.Tensor, seed: int):
    """special ([CLS] first, [PAD] at the end of the last row), u_select, u_action, random_ids."""
    g = generator(seed)
    special = torch.zeros(ids.shape, dtype=torch.bool)
    special[:, 0] = True
    special[-1, -2:] = True
    u_select = torch.rand(ids.shape, generator=g, dtype=torch.float64) * 0.3  # about half below 0.15
    u_action = torch.rand(ids.shape, generator=g, dtype=torch.float64)
    random_ids = torch.randint(4, 60, ids.shape, generator=g)
    return special, u_select, u_action, random_ids


def _masked(draws: tuple[torch.Tensor, ...], p: float = 0.15, *, choose_special=False, at_most_p=False,
            always_mask=False, swapped=False, mask_below: float | None = 0.8):
    """(inputs, labels) the rule gives for ``draws`` (ids, special, u_select, u_action, random_ids),
    or one of the usual slips (the grader's own computation)."""
    ids, special, u_select, u_action, random_ids = draws
    chosen = (u_select <= p) if at_most_p else (u_select < p)
    if not choose_special:
        chosen = chosen & ~special
    if always_mask:
        masked, randomised = chosen, torch.zeros_like(chosen)
    elif swapped:  # the random id and the kept id swapped: random from 0.9, kept from 0.8 up to 0.9
        masked = chosen & (u_action < 0.8)
        randomised = chosen & (u_action >= 0.9)
    else:
        masked = chosen & ((u_action <= 0.8) if mask_below is None else (u_action < mask_below))
        randomised = chosen & (u_action >= 0.8) & (u_action < 0.9) & ~masked
    inputs = torch.where(masked, torch.full_like(ids, MASK_ID), ids)
    inputs = torch.where(randomised, random_ids, inputs)
    return inputs, torch.where(chosen, ids, torch.full_like(ids, -100))


_INPUT_SLIPS = (
    ({"always_mask": True}, "writes [MASK] at every chosen position: only where u_action < 0.8; from 0.8 up to "
                            "0.9 the position gets random_ids' id, and from 0.9 it keeps its own id"),
    ({"swapped": True}, "puts the random id where u_action >= 0.9: the random id is for 0.8 <= u_action < 0.9, "
                        "and from 0.9 the position keeps its own id"),
    ({"mask_below": None}, "writes [MASK] where u_action is exactly 0.8: [MASK] only below 0.8 (u_action < 0.8); "
                           "0.8 gets the random id"),
    ({"choose_special": True}, "chooses special positions ([CLS], [PAD]): a position where special is True is "
                               "never chosen, whatever u_select says"),
    ({"at_most_p": True}, "chooses a position whose u_select equals p: a position is chosen only when "
                          "u_select < p, strictly"),
)


def _label_slips(draws: tuple[torch.Tensor, ...], p: float = 0.15):
    ids = draws[0]
    inputs, labels = _masked(draws, p)
    chosen = labels != -100
    return (
        (torch.where(chosen, torch.full_like(ids, -100), ids),
         "are the wrong way round (-100 at the chosen positions, the id elsewhere): the label is the original id "
         "where a position is chosen and -100 everywhere else"),
        (torch.where(chosen, inputs, torch.full_like(ids, -100)),
         "hold the hidden input ([MASK] or the random id) at the chosen positions: the label is the original id, "
         "what the model must guess"),
        (torch.where(chosen, ids, torch.zeros_like(ids)),
         "hold 0 at the positions that are not chosen: they must hold -100, the value the loss skips"),
        (_masked(draws, p, choose_special=True)[1],
         "label special positions ([CLS], [PAD]): a special position is never chosen, so its label is -100"),
        (_masked(draws, p, at_most_p=True)[1],
         "mark a position whose u_select equals p as chosen: a position is chosen only when u_select < p, strictly"),
    )


def _judge(p, out, draws: tuple[torch.Tensor, ...], what: str, rule: str, p_value: float = 0.15,
           parts: tuple[str, ...] = ("inputs", "labels")) -> None:
    """The steps of one call: a pair of tensors of ids's shape, then the parts this cell judges
    (known slips named first): ``inputs``, ``labels``, or ``chosen`` (which positions the labels
    mark as chosen, for the cell about p)."""
    ids = draws[0]
    right_inputs, right_labels = _masked(draws, p=p_value)
    p.expect(is_tensor_pair(out), f"mask_tokens should return a tuple (inputs, labels) of two tensors ({what})")
    inputs, labels = pair(out)
    for name, value in (("inputs", inputs), ("labels", labels)):
        p.expect(shape_of(value), f"mask_tokens gave {name} of shape {{got}} for ids of shape {shape_of(ids)} "
                                  f"({what}): {name} has ids's shape")
    if "inputs" in parts:
        slips = [(wrong, f"mask_tokens {why} ({what})") for options, why in _INPUT_SLIPS
                 if not torch.equal(wrong := _masked(draws, p=p_value, **options)[0], right_inputs)]
        name_the_mistakes(p, float64(inputs), [(w.to(torch.float64), m) for w, m in slips])
        p.expect(inputs, f"mask_tokens gave wrong inputs ({what}): {rule}", check_dtype=False)
    if "labels" in parts:
        slips = [(wrong, f"mask_tokens' labels {why} ({what})") for wrong, why in _label_slips(draws, p=p_value)
                 if not torch.equal(wrong, right_labels)]
        name_the_mistakes(p, float64(labels), [(w.to(torch.float64), m) for w, m in slips])
        p.expect(labels, f"mask_tokens gave wrong labels ({what}): the original id where a position is chosen "
                         "(u_select < p and not special), -100 everywhere else", check_dtype=False)
    if "chosen" in parts:
        zero_labels = torch.where(right_labels != -100, ids, torch.zeros_like(ids))
        if not torch.equal(zero_labels, right_labels):
            name_the_mistakes(p, float64(labels), [(zero_labels.to(torch.float64), _ZERO_LABELS.format(what=what))])
        p.expect(_chosen(labels), f"mask_tokens chose the wrong positions ({what}; chosen = labels not -100): {rule}")


_ZERO_LABELS = ("mask_tokens' labels hold 0 at the positions that are not chosen: they must hold -100, the value "
                "the loss skips ({what})")


def _chosen(labels):
    """Which positions an exact integer labels tensor marks as chosen (not -100); anything else as is."""
    if type(labels) is not torch.Tensor or tensors.is_floating_point(labels):
        return labels
    return _ne(tensors.detach(labels), -100)


def _call(probe, mask_tokens, draws: tuple[torch.Tensor, ...], what: str, **kwargs):
    ids, special, u_select, u_action, random_ids = (t.clone() for t in draws)
    return probe.call(mask_tokens, ids, special, u_select, u_action, random_ids, mask_id=MASK_ID, **kwargs, what=what)


_RULE = ("a position is chosen when u_select < p and it is not special; a chosen position gets [MASK] "
         "(u_action < 0.8), random_ids' id (0.8 <= u_action < 0.9) or keeps its id (u_action >= 0.9)")


@check
def mask_tokens_basic(p, mask_tokens):
    """mask_tokens: chosen positions hidden by the 80/10/10 rule and labelled; the others kept and -100."""
    visible = (torch.tensor([[2, 10, 11, 12, 13, 0]]), torch.tensor([[True, False, False, False, False, True]]),
               torch.tensor([[0.0, 0.5, 0.1, 0.05, 0.01, 0.0]], dtype=torch.float64),
               torch.tensor([[0.0, 0.0, 0.3, 0.85, 0.95, 0.0]], dtype=torch.float64), torch.full((1, 6), 7))
    what = "the notebook's example"
    _judge(p, _call(p, mask_tokens, visible, f"mask_tokens({what})"), visible, what, _RULE)
    ids = torch.randint(4, 60, (3, 8), generator=generator(1))
    draws = (ids, *_draws(ids, seed=2))
    what = "3 rows of 8 ids, [CLS] first and [PAD] at the end"
    _judge(p, _call(p, mask_tokens, draws, f"mask_tokens({what})"), draws, what, _RULE)


@check
def mask_tokens_special(p, mask_tokens):
    """mask_tokens never chooses a special position."""
    ids = torch.tensor([[2, 20, 21, 22, 0, 0], [2, 30, 31, 32, 33, 34]])
    special = torch.tensor([[True, False, False, False, True, True], [True, False, False, True, False, False]])
    zeros = torch.zeros(ids.shape, dtype=torch.float64)
    # Every u_select is 0: every position that is not special is chosen, and gets [MASK].
    # Row 2's special position 3 holds an ordinary id: special, not the ids, says which positions are special.
    draws = (ids, special, zeros, zeros, torch.full(ids.shape, 9))
    what = "every u_select 0, special True at [CLS], [PAD] and one ordinary id"
    _judge(p, _call(p, mask_tokens, draws, f"mask_tokens({what})"), draws, what,
           "a position where special is True is never chosen (it keeps its id); every other one is chosen here")


@check
def mask_tokens_actions(p, mask_tokens):
    """mask_tokens: [MASK] below 0.8, the random id from 0.8 up to 0.9, the id kept from 0.9."""
    u_action = torch.tensor([[0.0, 0.5, 0.7999, 0.8, 0.85, 0.8999, 0.9, 0.95, 0.9999]], dtype=torch.float64)
    ids = torch.arange(20, 29).reshape(1, 9)
    draws = (ids, torch.zeros(ids.shape, dtype=torch.bool), torch.zeros(ids.shape, dtype=torch.float64), u_action,
             torch.arange(40, 49).reshape(1, 9))
    what = "every position chosen, u_action from 0.0 to 0.9999"
    _judge(p, _call(p, mask_tokens, draws, f"mask_tokens({what})"), draws, what,
           "[MASK] where u_action < 0.8, random_ids' id where 0.8 <= u_action < 0.9, the id kept from 0.9",
           parts=("inputs",))


@check
def mask_tokens_labels(p, mask_tokens):
    """mask_tokens: labels hold the original id where u_select < p (strictly), -100 elsewhere."""
    u_select = torch.tensor([[0.0, 0.1, 0.1499, 0.15, 0.2, 0.9], [0.15, 0.05, 0.5, 0.0, 0.15, 0.14]],
                            dtype=torch.float64)
    u_action = torch.tensor([[0.5, 0.85, 0.95, 0.5, 0.5, 0.5], [0.1, 0.95, 0.2, 0.3, 0.85, 0.82]],
                            dtype=torch.float64)
    ids = torch.arange(10, 22).reshape(2, 6)
    draws = (ids, torch.zeros(ids.shape, dtype=torch.bool), u_select, u_action, torch.full(ids.shape, 50))
    what = "u_select 0.15 exactly at three positions"
    _judge(p, _call(p, mask_tokens, draws, f"mask_tokens({what})"), draws, what,
           "a position is chosen only when u_select < p, strictly", parts=("labels",))


@check
def mask_tokens_p(p, mask_tokens):
    """mask_tokens uses p: 0.15 by default, none chosen with p = 0, every non-special one with p = 1."""
    ids = torch.randint(4, 60, (2, 7), generator=generator(11))
    draws = (ids, *_draws(ids, seed=12))
    draws = (draws[0], draws[1], draws[2] / 0.3, draws[3], draws[4])  # u_select spread over [0, 1)
    for p_value, what in ((0.0, "p=0.0, so no position should be chosen"),
                          (1.0, "p=1.0, so every non-special position should be"),
                          (0.5, "p=0.5")):
        _judge(p, _call(p, mask_tokens, draws, f"mask_tokens(2 rows of 7 ids, p={p_value})", p=p_value),
               draws, what, "use p: a position is chosen when u_select < p", p_value, parts=("chosen",))
    _judge(p, _call(p, mask_tokens, draws, "mask_tokens(2 rows of 7 ids) without p"), draws,
           "p not given", "p is 0.15 when it is not given", parts=("chosen",))


@check
def mask_tokens_errors(p, mask_tokens):
    """mask_tokens raises ValueError for p outside [0, 1] (NaN too) and for shapes that differ from ids's."""
    ids = torch.tensor([[5, 6, 7, 8]])
    special, u = torch.zeros(1, 4, dtype=torch.bool), torch.full((1, 4), 0.5, dtype=torch.float64)
    random_ids = torch.full((1, 4), 9)
    for bad in (-0.1, 1.5, float("nan")):
        p.raises(ValueError, mask_tokens, ids.clone(), special.clone(), u.clone(), u.clone(), random_ids.clone(),
                 mask_id=MASK_ID, p=bad, message=f"mask_tokens(..., p={bad}) should raise ValueError (p is a "
                 "probability, within [0, 1]), but raised {got}" + (": NaN fails every comparison, so test "
                 "`not 0 <= p <= 1`" if bad != bad else ""))
    short_bool, short_u = torch.zeros(1, 3, dtype=torch.bool), torch.full((1, 3), 0.5, dtype=torch.float64)
    for name, args in (("special", (short_bool, u, u, random_ids)), ("u_select", (special, short_u, u, random_ids)),
                       ("u_action", (special, u, short_u, random_ids)),
                       ("random_ids", (special, u, u, torch.full((1, 3), 9)))):
        p.raises(ValueError, mask_tokens, ids.clone(), *(t.clone() for t in args), mask_id=MASK_ID,
                 what=f"mask_tokens(ids of shape (1, 4), {name} of shape (1, 3))",
                 message=f"mask_tokens with {name} of shape (1, 3) and ids of shape (1, 4) should raise ValueError "
                         "(every input has ids's shape), but raised {got}")


@check
def mask_tokens_new_tensors(p, mask_tokens):
    """mask_tokens returns new int64 tensors (also for int32 ids) and never modifies its inputs."""
    for dtype in (torch.int32, torch.int64):
        ids = torch.tensor([[2, 15, 16, 17, 18]], dtype=dtype)
        special = torch.tensor([[True, False, False, False, False]])
        u_select = torch.tensor([[0.0, 0.0, 0.0, 0.5, 0.0]], dtype=torch.float64)
        u_action = torch.tensor([[0.0, 0.1, 0.85, 0.0, 0.95]], dtype=torch.float64)
        random_ids = torch.full((1, 5), 40, dtype=dtype)
        given = [t.clone() for t in (ids, special, u_select, u_action, random_ids)]
        name = str(dtype).removeprefix("torch.")
        out = p.call(mask_tokens, *given, mask_id=MASK_ID, what=f"mask_tokens({name} ids of shape (1, 5), ...)")
        inputs, labels = pair(out)
        for part, value in (("inputs", inputs), ("labels", labels)):
            p.expect(dtype_of(value), f"mask_tokens of {name} ids returned {part} as {{got}}; they should be int64 "
                                      "(ids.to(torch.int64) first)")
        # Rebuilt identically on both sides: recorded after the call, they must equal the reference's untouched ones.
        for part, tensor in zip(("ids", "special", "u_select", "u_action", "random_ids"), given):
            p.expect(tensor, f"mask_tokens changed the {part} tensor it was given ({name} ids; an in-place write "
                             f"such as {part}[chosen] = ...): build new tensors (torch.where, or .clone() first)",
                     check_dtype=False)
    # With p = 0 nothing is chosen: inputs equals ids, but must still be a tensor of its own.
    ids = torch.tensor([[2, 15, 16]])
    zeros = torch.zeros(1, 3, dtype=torch.float64)
    out = p.call(mask_tokens, ids, torch.zeros(1, 3, dtype=torch.bool), zeros, zeros, torch.full((1, 3), 9),
                 mask_id=MASK_ID, p=0.0, what="mask_tokens(int64 ids of shape (1, 3), ..., p=0.0)")
    inputs, _ = pair(out)
    p.expect(inputs is not ids and not (type(inputs) is torch.Tensor and _shares_memory(inputs, ids)),
             "mask_tokens returned the caller's ids tensor itself as inputs (with p=0.0 nothing is chosen): return "
             "a new tensor (torch.where or ids.clone()), or the caller's ids change when inputs is written to")


_data_ptr = torch._C.TensorBase.data_ptr  # read from the C type: a student cell cannot patch it
_ne = torch._C.TensorBase.ne


def _shares_memory(one: torch.Tensor, other: torch.Tensor) -> bool:
    return _data_ptr(one) == _data_ptr(other)
