#!/usr/bin/env python3
"""Auto-tagging oracle: which tags random rules give random messages, decided by
Python's own full Unicode case folding (str.casefold) and White_Space splitting,
so msgcore's ICU-based normalization is checked against an independent one.

Produces tests/fixtures/tagging_oracle.json (a list of {rules, text, tags}),
read by tests/tagging_oracle.rs. Deterministic (fixed seed). Run from the crate
root with Python 3.11:

    python3 scripts/tagging_oracle.py > tests/fixtures/tagging_oracle.json
"""

import json
import random

# The Unicode White_Space property (PropList.txt), which Rust's char::is_whitespace
# follows; Python's str.isspace also counts U+001C..U+001F, so it is not used.
WHITE_SPACE = set(
    "\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
)

# Pieces chosen where case folding is subtle: ß/ẞ/SS, long s, final sigma, dotted
# and dotless i, ligatures, iota subscript, Armenian ech-yiwn, Cherokee, Kelvin sign.
PIECES = [
    "a", "A", "b", "ss", "SS", "ß", "ẞ", "ſ", "s", "σ", "ς", "Σ", "İ", "i", "I", "ı",
    "ﬁ", "fi", "FI", "ᾳ", "αι", "ΑΙ", "և", "եւ", "Ꭰ", "ꭰ", "k", "K", "\u212a", "order",
    "ORDER", "ref", "REF",
]
SPACES = [" ", "  ", "\t", "\u00a0", "\u3000", "\n", "\u2003"]
KINDS = ["contains", "exact", "starts_with"]


def normalize(text):
    words, word = [], []
    for c in text:
        if c in WHITE_SPACE:
            if word:
                words.append("".join(word))
                word = []
        else:
            word.append(c)
    if word:
        words.append("".join(word))
    return " ".join(words).casefold()


def matches(kind, pattern, text):
    if kind == "contains":
        return pattern in text
    if kind == "exact":
        return pattern == text
    return text.startswith(pattern)


def phrase(rng, most):
    out = []
    for _ in range(rng.randint(1, most)):
        if out and rng.random() < 0.3:
            out.append(rng.choice(SPACES))
        out.append(rng.choice(PIECES))
    if rng.random() < 0.2:
        out.insert(0, rng.choice(SPACES))
    return "".join(out)


def case(rng):
    rules = []
    for _ in range(rng.randint(1, 8)):
        pattern = phrase(rng, 3)
        rules.append({"kind": rng.choice(KINDS), "pattern": pattern, "tag": f"t{rng.randint(0, 4)}"})
    text = phrase(rng, 10)
    if rng.random() < 0.3:
        text = rng.choice(rules)["pattern"].upper() + text
    normalized = normalize(text)
    tags = []
    for rule in rules:
        if matches(rule["kind"], normalize(rule["pattern"]), normalized) and rule["tag"] not in tags:
            tags.append(rule["tag"])
    return {"rules": rules, "text": text, "tags": tags}


def main():
    rng = random.Random(20250601)
    print(json.dumps([case(rng) for _ in range(3000)], ensure_ascii=False, indent=None))


if __name__ == "__main__":
    main()
