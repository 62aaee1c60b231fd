"""bot.guards._han_own looks pieces of a Chinese subject up among the product's own words: it searched the whole
vocabulary text (4,000+ characters for the demo tee) for each of up to five pieces per character — 6 ms for a
300-character comment, the length the engine lets through. Now a set of the vocabulary's Han pieces; the reading is
unchanged (checked against the former implementation, kept here as the reference)."""

from __future__ import annotations

import random
import time

from bot import guards
from tests.demo_view import SNAPSHOT


def _old_han_own(word: str, own: str) -> bool:
    covered = [False] * len(word)
    for size in range(min(len(word), 6), 1, -1):
        for i in range(len(word) - size + 1):
            if not all(covered[i:i + size]) and word[i:i + size] in own:
                covered[i:i + size] = [True] * size
    left = [ch for c, ch in zip(covered, word, strict=True) if not c]
    return any(covered) and (len(left) <= 1 or all(ch in own for ch in left))


def test_han_own_as_before() -> None:
    rng = random.Random(3)
    vocab = guards._attribute_vocabulary(SNAPSHOT)
    for pid, own in vocab.items():
        chars = sorted({ch for ch in own if "\u4e00" <= ch <= "\u9fff"}) + list("舰长猫你家手机支架")
        pieces = [own[i:i + n] for i in range(0, len(own) - 6, 7) for n in (2, 3) if own[i:i + n].strip()]
        for _ in range(400):
            word = "".join(rng.choice(chars) if rng.random() < 0.5 else rng.choice(pieces or chars)
                           for _ in range(rng.randint(1, 8)))
            for w in (word, "t恤" + word, word + "ab"):
                assert guards._han_own(w, own) == _old_han_own(w, own), (pid, w)


def test_a_long_chinese_subject_is_read_quickly() -> None:
    word = ("舰长都什么成分啊你家猫" * 1000)[:10000]
    guards.about_own_product((word[:10],), "tee-classic", SNAPSHOT)  # the vocabulary built
    start = time.process_time()
    assert not guards.about_own_product((word,), "tee-classic", SNAPSHOT)
    assert time.process_time() - start < 0.05
