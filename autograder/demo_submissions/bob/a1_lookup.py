"""Bob's a1_lookup: everything handed in, with the mistakes students really make.

- build_vocab strips only the space character (tabs, newlines and ideographic
  spaces become tokens) and never checks the argument's type;
- one_hot indexes rows of ``torch.eye``: right values and dtype, but a negative
  index silently wraps around, and a too-large index raises IndexError, not
  ValueError;
- lookup_via_one_hot multiplies a float32 one-hot by the weight, which fails
  for a float64 weight;
- he mixed up two quiz answers.
"""
import torch


def build_vocab(text):
    vocab = {}
    for ch in text.replace(" ", ""):
        if ch not in vocab:
            vocab[ch] = len(vocab)
    return vocab


def encode(text, vocab):
    return torch.tensor([vocab[ch] for ch in text if not ch.isspace()], dtype=torch.long)


def one_hot(indices, vocab_size):
    if vocab_size < 1:
        raise ValueError("vocab_size must be positive")
    return torch.eye(vocab_size)[torch.as_tensor(indices, dtype=torch.long)]


def lookup(weight, indices):
    return weight[torch.as_tensor(indices, dtype=torch.long)]


def lookup_via_one_hot(weight, indices):
    return one_hot(indices, weight.shape[0]) @ weight


quiz_weight_shape = "c"
quiz_one_hot_nonzeros = "b"
quiz_one_hot_times_w = "a"
quiz_lookup_row = "b"
