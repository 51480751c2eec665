"""tied_logits: the output scores computed with the input table, transposed (weight tying)."""
from __future__ import annotations

import torch

from autograder.checks.toolbox import check
from autograder.checks.toolbox import backprop, dtype_of, grad_of, name_the_mistakes, seeded_randn, shape_of

from ._inputs import float64, table, table_of


def _right(hidden: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None) -> torch.Tensor:
    scores = hidden.to(torch.float64) @ weight.detach().to(torch.float64).T
    return scores if bias is None else scores + bias.detach().to(torch.float64)


def _slips(hidden, weight, bias=None):
    right = _right(hidden, weight, bias)
    slips = [(torch.softmax(right, dim=-1), "returned probabilities (a softmax over the tokens): return the raw "
                                            "scores, hidden @ table.T; the loss takes the softmax itself")]
    if bias is not None:
        slips.append((_right(hidden, weight), "left out the bias: add bias[v] to every score of token v"))
    return [(wrong, why) for wrong, why in slips if float((wrong - right).abs().max()) > 1e-4]


def _step(p, tied_logits, hidden, weight, what: str, rule: str, bias=None) -> None:
    right = _right(hidden, weight, bias)
    slips = [(wrong, f"tied_logits {why} ({what})") for wrong, why in _slips(hidden, weight, bias)]
    args = (hidden.clone(), table_of(weight)) + (() if bias is None else (bias.clone(),))
    out = p.call(tied_logits, *args, what=f"tied_logits({what})")
    p.expect(shape_of(out), f"tied_logits gave shape {{got}} ({what}); it should be (B, L, V) = {shape_of(right)}")
    name_the_mistakes(p, float64(out), slips)
    p.expect(out, f"tied_logits gave wrong values ({what}): {rule}", check_dtype=False)


_RULE = "the score of token v at a position is that position's hidden vector dotted with row v of the table"


@check
def tied_logits_basic(p, tied_logits):
    """tied_logits: each hidden vector dotted with every row of the token table, shape (B, L, V)."""
    _step(p, tied_logits, torch.tensor([[[2.0, 3.0], [1.0, -1.0]]]),
          torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), "the notebook's example", _RULE)
    _step(p, tied_logits, seeded_randn(2, 3, 4, seed=20), seeded_randn(6, 4, seed=21),
          "hidden of shape (2, 3, 4), a table of 6 rows", _RULE)


@check
def tied_logits_bias(p, tied_logits):
    """tied_logits adds bias[v] to every score of token v when a bias is given."""
    rule = "hidden @ table.T, then bias[v] added to every score of token v"
    _step(p, tied_logits, seeded_randn(2, 5, 3, seed=22), seeded_randn(4, 3, seed=23),
          "hidden of shape (2, 5, 3), a table of 4 rows, a bias of 4", rule, bias=torch.tensor([0.0, 1.0, 2.0, 3.0]))
    _step(p, tied_logits, seeded_randn(1, 2, 3, seed=24), seeded_randn(5, 3, seed=25),
          "hidden of shape (1, 2, 3), a table of 5 rows, a random bias", rule, bias=seeded_randn(5, seed=26))


@check
def tied_logits_gradients(p, tied_logits):
    """tied_logits: gradients reach the table, hidden and the bias."""
    hidden_values, weight, bias_values = seeded_randn(2, 3, 4, seed=27), seeded_randn(5, 4, seed=28), seeded_randn(5, seed=29)
    upstream = seeded_randn(2, 3, 5, seed=30)
    # The gradients the rule gives, computed here.
    grads = [t.clone().requires_grad_() for t in (hidden_values, weight, bias_values)]
    (torch.nn.functional.linear(*grads) * upstream).sum().backward()
    right = {"the table's weight": grads[1].grad, "hidden": grads[0].grad, "bias": grads[2].grad}
    embedding = table_of(weight)
    hidden, bias = hidden_values.clone().requires_grad_(), bias_values.clone().requires_grad_()
    out = p.call(tied_logits, hidden, embedding, bias,
                 what="tied_logits(hidden of shape (2, 3, 4), a table of 5 rows, a bias of 5)")
    p.expect(shape_of(out), "tied_logits gave shape {got} for hidden of shape (2, 3, 4) and 5 tokens; it should "
                            "be (2, 3, 5)")
    p.call(lambda: backprop(out, upstream), what="(tied_logits(...) * upstream).sum().backward()")
    for name, tensor in (("the table's weight", embedding.weight), ("hidden", hidden), ("bias", bias)):
        why = ("the output is not tied to the table: use embedding.weight itself, not .detach(), .data or a copy "
               "in a new layer" if name == "the table's weight" else
               "tied_logits does not use the bias it is given, or cuts it off the graph (.detach(), .data, .item() "
               "or numpy)" if name == "bias" else
               "part of tied_logits cuts it off the graph (.detach(), .data, .item() or numpy)")
        p.expect(grad_of(tensor) is not None, f"no gradient reached {name} after backward(): {why}")
        p.expect(grad_of(tensor), f"the gradient of {name} is wrong: tied_logits should be hidden @ table.T + bias, "
                                  "which gives the right gradient by itself", check_dtype=False)


@check
def tied_logits_dtype(p, tied_logits):
    """tied_logits keeps the dtype of hidden and the table (float64 stays float64)."""
    for dtype in (torch.float64, torch.float32):
        name = str(dtype).removeprefix("torch.")
        hidden, weight = seeded_randn(1, 2, 3, seed=31, dtype=dtype), seeded_randn(4, 3, seed=32, dtype=dtype)
        out = p.call(tied_logits, hidden.clone(), table_of(weight), what=f"tied_logits({name} hidden and table)")
        p.expect(dtype_of(out), f"tied_logits of {name} hidden and table returned {{got}}; it should keep {name} "
                                "(no .float() on the way)")


@check
def tied_logits_errors(p, tied_logits):
    """tied_logits raises ValueError for a d or a dtype of hidden that differs from the table's."""
    p.raises(ValueError, tied_logits, seeded_randn(1, 2, 3, seed=33), table(4, 2, seed=34),
             what="tied_logits(hidden with d = 3, a table whose rows have d = 2)",
             message="tied_logits with hidden of d = 3 and a table of d = 2 should raise ValueError (a hidden "
                     "vector must be as long as the rows it is dotted with), but raised {got}")
    p.raises(ValueError, tied_logits, seeded_randn(1, 2, 3, seed=35, dtype=torch.float64), table(4, 3, seed=36),
             what="tied_logits(float64 hidden, a float32 table)",
             message="tied_logits with float64 hidden and a float32 table should raise ValueError (say which "
                     "dtypes differ; do not convert one silently), but raised {got}")
