"""Bob's a6_pretraining: the ideas are right, the details are not.

- mask_tokens writes [MASK] at every chosen position (he skipped BERT's 10% random and 10% kept);
- embed_with_positions is right;
- tied_logits scores with embedding.weight.detach(), so the output side never trains the table;
- mlm_loss divides the summed loss by every position, labelled or not;
- copy_pretrained_rows lists the missing tokens in the dict's order, not by index;
- quiz 5: he thinks the labels pushed 喜欢 and 讨厌 apart even with the table frozen.
"""
import torch
import torch.nn.functional as F


def mask_tokens(ids, special, u_select, u_action, random_ids, mask_id, p=0.15):
    if not 0 <= p <= 1:
        raise ValueError(f"p must be within [0, 1], got {p}")
    for other in (special, u_select, u_action, random_ids):
        if other.shape != ids.shape:
            raise ValueError("every input must have ids's shape")
    ids = ids.to(torch.int64)
    chosen = (u_select < p) & ~special
    inputs = torch.where(chosen, torch.full_like(ids, mask_id), ids)
    labels = torch.where(chosen, ids, torch.full_like(ids, -100))
    return inputs, labels


def embed_with_positions(ids, token_embedding, position_embedding):
    length = ids.shape[1]
    if length > position_embedding.num_embeddings:
        raise ValueError("more positions than the position table has rows")
    if token_embedding.embedding_dim != position_embedding.embedding_dim:
        raise ValueError("the tables' d differ")
    return token_embedding(ids) + position_embedding(torch.arange(length))


def tied_logits(hidden, embedding, bias=None):
    weight = embedding.weight.detach()
    if hidden.shape[-1] != weight.shape[1]:
        raise ValueError("hidden's d is not the table's")
    if hidden.dtype != weight.dtype:
        raise ValueError("hidden's dtype is not the table's")
    return F.linear(hidden, weight, bias)


def mlm_loss(logits, labels):
    total = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100,
                            reduction="sum")
    return total / labels.numel()


def copy_pretrained_rows(vocab, pretrained_vocab, pretrained, init):
    if pretrained.shape[1] != init.shape[1]:
        raise ValueError("rows of different lengths")
    if init.shape[0] != len(vocab):
        raise ValueError("init needs one row per token")
    weight = init.detach().clone()
    missing = []
    for token, row in vocab.items():
        if token in pretrained_vocab:
            weight[row] = pretrained[pretrained_vocab[token]].detach()
        else:
            missing.append(token)
    return weight, missing


quiz_keep_some = "b"
quiz_tied_parameters = "c"
quiz_capital = "b"
quiz_same_row = "a"
quiz_frozen = "b"
