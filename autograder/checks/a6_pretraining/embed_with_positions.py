"""embed_with_positions: each token's row plus the row of its position 0 ... L-1."""
from __future__ import annotations

import torch

from autograder.checks.toolbox import check
from autograder.checks.toolbox import backprop, dtype_of, grad_of, name_the_mistakes, shape_of

from ._inputs import float64, generator, table, table_of


def _slips(ids: torch.Tensor, tokens: torch.nn.Embedding, positions: torch.nn.Embedding):
    """What the usual slips give (the grader's own computation, in float64), with what each did."""
    token_rows = tokens.weight.detach().to(torch.float64)[ids]
    position_rows = positions.weight.detach().to(torch.float64)
    length = ids.shape[1]
    slips = [(token_rows, "returned the token rows alone: add position_embedding's rows of the positions "
                          "0 ... L-1"),
             (token_rows + position_rows[length - 1 - torch.arange(length)],
              "added the position rows in reverse order: position i gets row i of position_embedding")]
    if int(ids.max()) < position_rows.shape[0]:
        slips.append((token_rows + position_rows[ids], "added the position rows of the ids (position_embedding(ids)): "
                                                       "add the rows of the positions 0 ... L-1 instead"))
    if ids.shape[0] <= position_rows.shape[0]:
        slips.append((token_rows + position_rows[: ids.shape[0]].unsqueeze(1),
                      "added one position row per row of the batch (positions 0 ... B-1): position i of every "
                      "row gets row i of position_embedding"))
    return slips


def _step(p, embed_with_positions, ids, tokens, positions, what: str, rule: str, hint: str = "") -> None:
    right = tokens.weight.detach().to(torch.float64)[ids] + positions.weight.detach().to(torch.float64)[: ids.shape[1]]
    slips = [(wrong, f"embed_with_positions {why} ({what})") for wrong, why in _slips(ids, tokens, positions)
             if float((wrong - right).abs().max()) > 1e-4]
    out = p.call(embed_with_positions, ids.clone(), tokens, positions, what=f"embed_with_positions({what})",
                 hint=hint, hint_when=("index out of range",))
    p.expect(shape_of(out), f"embed_with_positions gave shape {{got}} ({what}); it should be (B, L, d) = "
                            f"{shape_of(right)}")
    name_the_mistakes(p, float64(out), slips)
    p.expect(out, f"embed_with_positions gave wrong values ({what}): {rule}", check_dtype=False)


@check
def embed_with_positions_basic(p, embed_with_positions):
    """embed_with_positions: each token's row plus the row of its position, shape (B, L, d)."""
    tokens = table_of(torch.tensor([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [5.0, 5.0]]))
    positions = table_of(torch.tensor([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]]))
    rule = "row ids[b, i] of token_embedding plus row i of position_embedding"
    _step(p, embed_with_positions, torch.tensor([[1, 2, 2], [3, 3, 0]]), tokens, positions,
          "the notebook's example", rule, hint="the id 3 has no row in the position table of 3 rows: look up the "
          "positions 0 ... L-1 there (torch.arange(L)), not the ids")
    ids = torch.randint(0, 12, (3, 5), generator=generator(3))
    _step(p, embed_with_positions, ids, table(12, 4, seed=4), table(8, 4, seed=5),
          "3 rows of 5 ids, 12 tokens, 8 positions, d = 4", rule)


@check
def embed_with_positions_positions(p, embed_with_positions):
    """embed_with_positions adds the rows of positions 0 ... L-1, the same for every row of the batch."""
    rule = ("position i of every row of the batch adds row i of position_embedding, whatever the ids and the "
            "batch size")
    ids = torch.tensor([[4, 4, 4, 4], [0, 1, 2, 3], [3, 2, 1, 0]])
    _step(p, embed_with_positions, ids, table_of(torch.zeros(5, 3)), table(6, 3, seed=6),
          "an all-zero token table, 3 rows of 4 ids", rule)
    _step(p, embed_with_positions, torch.tensor([[1, 1]]), table(2, 3, seed=7), table(6, 3, seed=8),
          "one row of 2 ids, 6 positions", rule)


@check
def embed_with_positions_gradients(p, embed_with_positions):
    """embed_with_positions: gradients reach both tables."""
    ids = torch.tensor([[1, 1, 2], [0, 1, 3]])
    tokens, positions = table(4, 3, seed=9), table(5, 3, seed=10)
    upstream = torch.randn(2, 3, 3, generator=generator(11), dtype=torch.float64).to(torch.float32)
    # The gradients the rule gives: upstream summed into the rows each token and each position used.
    right_tokens = torch.zeros(4, 3).index_add_(0, ids.reshape(-1), upstream.reshape(-1, 3))
    right_positions = torch.zeros(5, 3)
    right_positions[:3] = upstream.sum(dim=0)
    out = p.call(embed_with_positions, ids.clone(), tokens, positions,
                 what="embed_with_positions(2 rows of 3 ids, 4 tokens, 5 positions, d = 3)")
    p.expect(shape_of(out), "embed_with_positions gave shape {got} for 2 rows of 3 ids and d = 3; it should be "
                            "(2, 3, 3)")
    p.call(lambda: backprop(out, upstream), what="(embed_with_positions(...) * upstream).sum().backward()")
    for name, module, right in (("token_embedding", tokens, right_tokens),
                                ("position_embedding", positions, right_positions)):
        p.expect(grad_of(module.weight) is not None,
                 f"no gradient reached {name}'s weight after backward(): use the table itself (calling it, or "
                 "indexing its .weight), not .weight.detach(), .data or a copy")
        p.expect(grad_of(module.weight), f"the gradient of {name}'s weight is wrong: each row used gets the "
                                         "upstream gradient of every place it was added to", check_dtype=False)


@check
def embed_with_positions_dtype(p, embed_with_positions):
    """embed_with_positions keeps the tables' dtype (float64 stays float64)."""
    ids = torch.tensor([[0, 2, 1]])
    for dtype in (torch.float64, torch.float32):
        name = str(dtype).removeprefix("torch.")
        tokens, positions = table(3, 2, seed=12, dtype=dtype), table(4, 2, seed=13, dtype=dtype)
        out = p.call(embed_with_positions, ids.clone(), tokens, positions,
                     what=f"embed_with_positions(one row of 3 ids, {name} tables)")
        p.expect(dtype_of(out), f"embed_with_positions of {name} tables returned {{got}}; it should keep {name} "
                                "(no .float() on the way)")


@check
def embed_with_positions_errors(p, embed_with_positions):
    """embed_with_positions raises ValueError when L exceeds the position table or the tables' d differ."""
    p.call(embed_with_positions, torch.tensor([[1, 2, 3, 0]]), table(4, 2, seed=14), table(4, 2, seed=15),
           what="embed_with_positions(one row of 4 ids, a position table of 4 rows)",
           hint="L may equal the position table's number of rows: raise only when L exceeds it")
    p.raises(ValueError, embed_with_positions, torch.tensor([[1, 2, 3, 0, 1]]), table(4, 2, seed=14),
             table(4, 2, seed=15), what="embed_with_positions(one row of 5 ids, a position table of 4 rows)",
             message="embed_with_positions with 5 positions and a position table of 4 rows should raise ValueError "
                     "(there is no row for position 4), but raised {got}")
    p.raises(ValueError, embed_with_positions, torch.tensor([[1, 2]]), table(4, 3, seed=16), table(4, 2, seed=17),
             what="embed_with_positions(one row of 2 ids, a token table with d = 3, a position table with d = 2)",
             message="embed_with_positions with a token table of d = 3 and a position table of d = 2 should raise "
                     "ValueError (rows of different lengths cannot be added), but raised {got}")
