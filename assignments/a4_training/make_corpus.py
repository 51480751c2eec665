"""Write corpus.tsv, the small sentiment corpus of a4_training, from templates.

The corpus was written for this course (no outside text). Every sentence comes
from one of three templates, so the properties the assignment demonstrates hold
by construction:
- 喜欢 ("like") and 讨厌 ("hate") fill exactly the same slots, between the same
  subjects and objects; only the sentiment label tells them apart;
- 忐 and 忑 only ever appear together, as the word 忐忑 ("nervous");
- 开心 ("happy") and 难过 ("sad") are a second pair that shares its slots.

Run ``python make_corpus.py`` to rewrite corpus.tsv; the output is the same on
every run (the shuffle is seeded), and a test checks that the committed file is
exactly what this script writes.
"""
from __future__ import annotations

import itertools
import random
from pathlib import Path

SUBJECTS = ["我", "你", "他", "她", "我们", "他们"]
LIKE_ADVERBS = ["", "很", "真"]
LIKE_VERBS = {"喜欢": 1, "讨厌": 0}          # verb -> sentiment label (1 positive, 0 negative)
OBJECTS = ["猫", "狗", "下雨", "这本书", "这首歌", "看电影", "喝茶"]
NERVOUS_TIMES = ["考试前", "明天", "现在"]
NERVOUS_DEGREES = ["很", "有点"]
MOOD_ADVERBS = ["很", "有点", "真", "今天很"]
MOODS = {"开心": 1, "难过": 0}
SHUFFLE_SEED = 2026
HEADER = "label\tsentence"


def sentences() -> list[tuple[int, str]]:
    """Every (label, sentence) pair of the corpus, in a fixed shuffled order."""
    rows = [(label, f"{s}{adv}{verb}{obj}")
            for s, adv, (verb, label), obj in itertools.product(SUBJECTS, LIKE_ADVERBS, LIKE_VERBS.items(), OBJECTS)]
    # Being nervous is labelled negative: the sentiment task needs a label for every sentence.
    rows += [(0, f"{s}{time}{degree}忐忑")
             for s, time, degree in itertools.product(SUBJECTS, NERVOUS_TIMES, NERVOUS_DEGREES)]
    rows += [(label, f"{s}{adv}{mood}")
             for s, adv, (mood, label) in itertools.product(SUBJECTS, MOOD_ADVERBS, MOODS.items())]
    random.Random(SHUFFLE_SEED).shuffle(rows)
    return rows


def render() -> str:
    """The exact text of corpus.tsv."""
    return "\n".join([HEADER] + [f"{label}\t{text}" for label, text in sentences()]) + "\n"


def main() -> None:
    path = Path(__file__).with_name("corpus.tsv")
    path.write_text(render(), encoding="utf-8")
    print(f"wrote {len(sentences())} sentences to {path}")


if __name__ == "__main__":
    main()
