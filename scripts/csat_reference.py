#!/usr/bin/env python3
"""Independent reference for the CSAT rating grammar, and the fixture it produces.

It re-implements the grammar written in the docs of `src/core/csat.rs` as one
Python regular expression (3.11: atomic groups `(?>…)` give the "run" of stars and
of separator characters its maximal length; everything else is left to the regex
engine's backtracking, unlike the Rust scanner, which never backtracks). White
space is Unicode White_Space written out (Python's `str.isspace` adds
U+001C..U+001F); "starts with a digit" is Unicode general category N*, as Rust's
`char::is_numeric` (Python's `str.isnumeric` would also accept CJK numerals).
msgcore's `Rating::parse` is then checked against it by `tests/csat_reference.rs`.

Usage:

    # The committed fixture (~3,000 cases):
    python3 scripts/csat_reference.py --count 3000 --seed 1 > tests/fixtures/csat_cases.jsonl
    # A large local run (not committed):
    python3 scripts/csat_reference.py --count 200000 --seed 2 > /tmp/csat.jsonl
    CSAT_CASES=/tmp/csat.jsonl cargo test --test csat_reference

Each case is one JSON line: {"text": T, "expected": null} for an ordinary message,
or {"text": T, "expected": {"score": N}} plus "comment" when there is one (the
serde form of `Option<Rating>`).
"""

import argparse
import json
import random
import re
import sys
import unicodedata

# Unicode White_Space (PropList.txt), written out: not str.isspace.
WHITE_SPACE = "".join(
    chr(c)
    for c in [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680]
    + list(range(0x2000, 0x200B))
    + [0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
)
MARKS = "-\u2013\u2014,:;.!"
QUESTION_MARKS = "?\u00bf\uff1f\u061f"
FILLED = "\u2b50\U0001f31f\u2605"
EMPTY = "\u2606"
SELECTOR = "[\ufe0e\ufe0f]?"
WORDS = ["one", "two", "three", "four", "five"]

WS = "[" + re.escape(WHITE_SPACE) + "]"
RUN = "[" + re.escape(WHITE_SPACE + MARKS) + "]"
NUMBER = r"(?:(?P<digit>[1-5])(?:\ufe0f?\u20e3)?|(?P<word>one|two|three|four|five))"
FIVE = r"(?:5(?:\ufe0f?\u20e3)?|five)"
FRACTION = rf"(?:{WS}*/{WS}*|{WS}+(?:out{WS}+)?of{WS}+){FIVE}"
STAR = f"[{FILLED}]{SELECTOR}"
EMPTY_STAR = f"{EMPTY}{SELECTOR}"
RATING = re.compile(
    rf"""(?:
        (?P<stars>(?>{STAR}(?:{WS}*{STAR})*(?:{WS}*{EMPTY_STAR})*))
      | {NUMBER}(?:{FRACTION})?(?:{WS}*stars?)?
    )(?:
        {RUN}*\Z
      | (?P<separator>(?>{RUN}+))(?P<comment>.+)\Z
    )""",
    re.VERBOSE | re.IGNORECASE | re.ASCII | re.DOTALL,
)


def parse(text):
    """The rating `text` gives, as {"score": N[, "comment": C]}, or None."""
    if any(q in text for q in QUESTION_MARKS):
        return None
    text = text.strip(WHITE_SPACE)
    m = RATING.fullmatch(text)
    if not m:
        return None
    if m["stars"] is not None:
        filled = sum(m["stars"].count(c) for c in FILLED)
        empty = m["stars"].count(EMPTY)
        if not 1 <= filled <= 5 or (empty and filled + empty != 5):
            return None
        score = filled
    elif m["digit"]:
        score = int(m["digit"])
    else:
        score = WORDS.index(m["word"].lower()) + 1
    rating = {"score": score}
    if m["comment"] is not None:
        separator, comment = m["separator"], m["comment"]
        has_mark = any(c in MARKS for c in separator)
        if separator[-1] not in WHITE_SPACE or not (has_mark or m["stars"] is not None):
            return None
        if unicodedata.category(comment[0]).startswith("N"):
            return None
        rating["comment"] = comment
    return rating


# The examples of the brief, SPEC §4 and the module docs.
EXAMPLES = [
    "5", "4/5", "4 / 5", "4 out of 5", "\u2b50\u2b50\u2b50\u2b50",
    "\u2b50\ufe0f\u2b50\ufe0f\u2b50\ufe0f\u2b50\ufe0f", "\u2605\u2605\u2605",
    "\U0001f31f\U0001f31f", "five", "Five!", "3 - slow but fine", "4, thanks", "10", "0",
    "6/5", "4.5", "45", "I'd give it a 5", "\u2b50" * 6, "", "4,5", "4, 5",
    "5 minutes late again", "\u2605\u2605\u2605\u2606\u2606", "5 - when does it ship?",
    "four of five", "4\ufe0f\u20e3", "5 stars", "1 - stop texting me",
]

PIECES = [
    "1", "2", "3", "4", "5", "6", "0", "9", "/", " / ", "/5", " out of ", " of ", "of",
    "out", "five", "Four", "ONE", "two", "stars", " star", "s", " ", "  ", "\u00a0",
    "\u3000", "\t", "\n", "\u001c", "-", " - ", "\u2013", "\u2014", ",", ", ", ":", ";",
    ".", ". ", "!", "! ", "?", "\u00bf", "\uff1f", "\u2b50", "\U0001f31f", "\u2605",
    "\u2606", "\ufe0f", "\ufe0e", "\u20e3", "great", "slow but fine", "thanks", "x",
    "\u00bd", "\u0665", "\uff15", "\u4e00", "\U0001f44d", "(", ")", ":)", "'",
]


def valid_text(rng):
    """A reply built from the grammar's own pieces (mostly ratings)."""
    score = rng.randint(1, 5)
    if rng.random() < 0.3:
        stars = "".join(
            rng.choice(FILLED) + rng.choice(["", "\ufe0f", "\ufe0e"]) + rng.choice(["", " "])
            for _ in range(score)
        ).rstrip()
        head = stars + (EMPTY * (5 - score) if rng.random() < 0.3 else "")
    else:
        number = rng.choice([str(score), f"{score}\ufe0f\u20e3", f"{score}\u20e3",
                             rng.choice([str.lower, str.upper, str.title])(WORDS[score - 1])])
        fraction = rng.choice(["", "", "/5", " / 5", "/five", " out of 5", " of FIVE",
                               "/5\u20e3"])
        unit = rng.choice(["", "", " stars", "stars", " Star"])
        head = number + fraction + unit
    tail = rng.choice(["", "", "!", ".", " -", ",", " - great", ", thanks", ": fine",
                       "! Loved it", ". ok", " \u2014 meh", " lovely", " 5", ", 4"])
    return rng.choice(["", " ", "\u00a0"]) + head + tail + rng.choice(["", " ", "\n"])


def mutate(text, rng):
    """The text with a few random insertions, deletions and replacements."""
    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        op = rng.random()
        at = rng.randint(0, len(chars))
        if op < 0.5:
            chars[at:at] = list(rng.choice(PIECES))
        elif chars and op < 0.75:
            del chars[min(at, len(chars) - 1)]
        elif chars:
            chars[min(at, len(chars) - 1)] = rng.choice(rng.choice(PIECES) or " ")
    return "".join(chars)


def cases(count, seed):
    rng = random.Random(seed)
    texts = list(EXAMPLES)
    while len(texts) < count:
        text = valid_text(rng)
        texts.append(text if rng.random() < 0.5 else mutate(text, rng))
    return texts[:count]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for text in cases(args.count, args.seed):
        line = {"text": text, "expected": parse(text)}
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
