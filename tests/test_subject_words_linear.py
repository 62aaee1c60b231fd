"""bot.slots._subject_words reads an attribute question's subject in time linear in the comment: the English noun
phrase after each determiner was captured to the end of its run of letters and spaces, and cut there again, for every
determiner ("the the the …": quadratic, 5.7 s for 10,000 characters). The reading itself is unchanged: checked against
the former implementation, kept here as the reference."""

from __future__ import annotations

import random
import re
import time

from bot import slots

_OLD_DETERMINER = re.compile(
    r"(?<![\w'])(?P<prep>(?:for|in|into|to|on|at|after|before|with|without|during|than|like|from|under|below|above"
    r"|over|inside|outside|near|behind|onto|through)\s+)?"
    r"(?:the|your|ur|yours|this|that|these|those|my|our|his|her|their|its"
    r"|(?!(?:what|it|that|there|here|who|how|where|he|she|let|when|why)'s\b)[a-z]+'s) (?=(?P<np>[a-z][a-z' -]*))"
)
_OLD_NP_END = re.compile(
    r"\s(?:is|are|was|were|be|made|make|does|do|did|can|could|will|would|should|has|have|had|of|for|in|into|to|on|at"
    r"|after|with|without|from|behind|than|like|and|or|but|if|right|lol|lmao|haha\w*|xd|pls|please|really|actually"
    r"|enough|weigh|weighs|wash|washed|washable|shrink|warm|heavy|light|thick|thin|big|small|good|nice|ok)\b.*"
)


def _old_subject_words(rest: str, attr_start: int | None) -> tuple[str, ...]:
    head = rest[:attr_start] if attr_start is not None else rest
    words = slots._HAN_WORD.findall(slots._ZH_FILLER.sub(" ", head))
    for m in _OLD_DETERMINER.finditer(rest):
        if m.group("prep"):
            continue
        np = _OLD_NP_END.sub("", " " + m.group("np")).strip()
        words.extend(w.removesuffix("'s") for w in slots._LATIN_WORD.findall(np)[:3] if w not in slots._EN_NOT_SUBJECT)
    return tuple(dict.fromkeys(words))


_CASES = [
    "what is your mic made of", "how heavy is the host's backpack", "is the sofa machine washable",
    "will it fold small enough for a plane", "throw it in the washer", "舰长都什么成分啊", "the t-shirt is it cotton",
    "what's the weight", "is the", "the ", "the is", "the mic-stand's cable isn't long", "my dog's bed - is it soft",
    "the  double  space", "the x1 cable", "the café's chairs", "the mic 主播 the bag", "the haha mic", "the hahaha",
    "what is the big bag", "ur mic is nice lol", "the a b c d e f", "the mic\nis it", "the mic\tis", "the 'quoted' one",
    "the - - - mic", "that's the one", "the mic_stand", "the mic2 weight", "their cat's food is what",
]


def test_subject_words_as_before_on_written_cases() -> None:
    for text in _CASES:
        for attr_start in (None, 0, 3, len(text)):
            assert slots._subject_words(text, attr_start) == _old_subject_words(text, attr_start), text


def test_subject_words_as_before_on_random_text() -> None:
    rng = random.Random(7)
    pieces = ["the", "your", "my", "dog's", "it's", "what's", "mic", "is", "of", "for", "in", "haha", "lol", "big",
              "a", "x", "'", "-", " ", "  ", "\n", "1", "_", "舰长", "什么", "成分", "😂", "café", "i", "size", "one",
              "made", "bag", "s", "'s"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", " ", "-", "'"]) for _ in range(rng.randint(1, 14)))
        assert slots._subject_words(text, None) == _old_subject_words(text, None), repr(text)


def test_subject_words_linear_on_a_flood_of_determiners() -> None:
    for flood in ("the " * 2500, "a's " * 2500, "the x " * 1700):
        start = time.perf_counter()
        slots._subject_words(flood, None)
        assert time.perf_counter() - start < 0.5, flood[:12]
