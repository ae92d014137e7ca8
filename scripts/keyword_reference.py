#!/usr/bin/env python3
"""Independent reference for SPEC §2 keyword matching, and the fixtures it produces.

It re-implements the rules of SPEC §2 from the SPEC text alone, with Python's own
Unicode data (3.11: Unicode 14.0): White_Space as an explicit set (Python's
`str.isspace` is a different set: it adds U+001C..U+001F), punctuation as
`unicodedata.category(c).startswith('P')`, and full case folding as `str.casefold`.
msgcore's Rust implementation (`src/core/keyword*`) is then checked against it.

Usage:

    # ~3,000 cases, committed as the fixture `tests/keyword_reference.rs` asserts:
    python3 scripts/keyword_reference.py cases --count 3000 --seed 1 \
        > tests/fixtures/keyword_cases.jsonl
    # A large local run (not committed):
    python3 scripts/keyword_reference.py cases --count 100000 --seed 2 > /tmp/cases.jsonl
    KEYWORD_CASES=/tmp/cases.jsonl cargo test --test keyword_reference
    # How every single code point normalizes, for the exhaustive per-character check:
    python3 scripts/keyword_reference.py unicode-table \
        > tests/fixtures/keyword_unicode_table.json

Each case is one JSON line: {"text": T, "expected": {"action": A} plus
"possible_revocation": true when flagged, "evidence": {"keyword"|"first_word"|
"last_word"|"phrase": S} (absent when nothing matched), and "config": {...} (a
msgcore `KeywordConfig`) when the case uses a tenant configuration instead of the
defaults.
"""

import argparse
import json
import random
import sys
import unicodedata

# Unicode White_Space (PropList.txt), written out: not str.isspace.
WHITE_SPACE = frozenset(
    chr(c)
    for c in [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680]
    + list(range(0x2000, 0x200B))
    + [0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
)

# SPEC §2, as written there.
SPEC_KEYWORDS = {
    "opt_out": ["STOP", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT",
                "REVOKE", "OPTOUT", "OPT OUT", "OPT-OUT"],
    "opt_in": ["START", "SUBSCRIBE", "UNSTOP", "YES"],
    "help": ["HELP", "INFO"],
}
UNREMOVABLE = {"START", "HELP"} | set(SPEC_KEYWORDS["opt_out"])
PHRASES = ["stop texting", "stop messaging", "stop sending", "stop contacting", "remove me",
           "take me off", "leave me alone", "don't text", "dont text", "do not text",
           "don't message", "do not message", "do not contact", "don't contact",
           "no more texts", "no more messages", "opt me out", "unsubscribe me"]
TYPOGRAPHIC_APOSTROPHES = ["\u2019", "\u2018", "\u02bc", "\uff07"]


def is_punctuation(ch):
    return unicodedata.category(ch).startswith("P")


def strip_ends(text):
    """Drops white space and punctuation from both ends until neither end has any."""
    start, end = 0, len(text)
    while start < end and (text[start] in WHITE_SPACE or is_punctuation(text[start])):
        start += 1
    while end > start and (text[end - 1] in WHITE_SPACE or is_punctuation(text[end - 1])):
        end -= 1
    return text[start:end]


def collapse(text):
    words, word = [], []
    for ch in text:
        if ch in WHITE_SPACE:
            if word:
                words.append("".join(word))
                word = []
        else:
            word.append(ch)
    if word:
        words.append("".join(word))
    return " ".join(words)


def normalize(text):
    return collapse(strip_ends(text)).casefold()


class Keywords:
    """A tenant's keywords: the SPEC lists, minus removals, plus additions."""

    def __init__(self, config=None):
        config = config or {}
        self.map = {}
        for action, words in SPEC_KEYWORDS.items():
            for word in words:
                self.map[normalize(word)] = action
        unremovable = {normalize(w) for w in UNREMOVABLE}
        for word in config.get("remove", []):
            key = normalize(word)
            assert key in self.map and key not in unremovable, word
            del self.map[key]
        for action in ["opt_out", "opt_in", "help"]:
            for word in config.get(action, []):
                key = normalize(word)
                assert key and self.map.get(key, action) == action, word
                self.map[key] = action
        self.treat_as_opt_out = config.get("possible_revocation") == "treat_as_opt_out"
        self.patterns = [(p, p) for p in PHRASES]
        if config.get("typographic_apostrophes"):
            self.patterns += [(p.replace("'", a), p) for p in PHRASES if "'" in p
                              for a in TYPOGRAPHIC_APOSTROPHES]

    def classify(self, text):
        """Returns (expected, evidence) as the fixture lines hold them."""
        n = normalize(text)
        if n in self.map:
            return {"action": self.map[n]}, {"keyword": n}
        cue = self.revocation_cue(n)
        if cue is None:
            return {"action": "none"}, None
        action = "opt_out" if self.treat_as_opt_out else "none"
        return {"action": action, "possible_revocation": True}, cue

    def revocation_cue(self, n):
        words = n.split(" ")
        first = strip_ends(words[0])
        if self.map.get(first) == "opt_out":
            return {"first_word": first}
        if len(words) > 1:
            last = strip_ends(words[-1])
            if self.map.get(last) == "opt_out":
                return {"last_word": last}
        found = [(n.find(p), order, canonical)
                 for order, (p, canonical) in enumerate(self.patterns) if p in n]
        if found:
            return {"phrase": min(found)[2]}
        return None


# ---------------------------------------------------------------- case generation

CONFIGS = [
    None,
    {"opt_out": ["ARRÊT", "Alto", "ne plus", "PARAR"], "opt_in": ["OUI", "Sí"],
     "help": ["AIDE", "ayuda"], "remove": ["YES", "info"]},
    {"possible_revocation": "treat_as_opt_out", "typographic_apostrophes": True,
     "opt_out": ["STOPP", "Schluss"], "remove": ["unstop"]},
]

PUNCTUATION_SAMPLE = list(".,;:!?¡¿'\"«»‹›“”„‘’()[]{}-–—_…·*&#%@/\\§¶。、！？「」『』【】〈〉《》・※؟،")
AWKWARD_NEIGHBOURS = list("$+<=>^`|~€©™°") + ["\u200b", "\ufeff", "\u00ad", "\x1c", "\x1f",
                                                "\u180e", "😀", "\u0301", "0", "x"]
FOLDING_TRAPS = {"s": ["ſ"], "st": ["ﬆ", "ﬅ"], "k": ["\u212a"], "i": ["İ", "ı"],
                 "o": ["Ｏ"], "t": ["ｔ"], "e": ["é", "e\u0301"]}
NEAR_MISSES = ["stopwatch", "weekend", "restart", "helpful", "information", "stopp", "s top",
               "st0p", "opt_out", "opt.out", "opt--out", "stop-all", "unsubscribed", "yess",
               "infos", "help?me", "sto p", "quitting", "ending", "cancelled", "revoked",
               "optouts", "stop_all", "stop/all", "unstoppable", "start-up", "yes!no",
               "s-t-o-p", "non-stop", "nonstop", "helper", "end.", "opt out out"]
FILLER = ["please", "thanks", "ok", "I", "will", "you", "the", "order", "is", "late", "can",
          "call", "me", "tomorrow", "hi", "there", "my", "number", "changed", "what", "time",
          "do", "open", "this", "not", "again", "now", "sorry", "wrong", "person", "lol"]


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.assigned = [c for c in range(0x110000)
                         if unicodedata.category(chr(c)) not in ("Cn", "Cs")]
        self.white_space = sorted(WHITE_SPACE)
        self.punctuation = [chr(c) for c in self.assigned if is_punctuation(chr(c))]

    def pick(self, items):
        return items[self.rng.randrange(len(items))]

    def keywords_of(self, config):
        words = [w for ws in SPEC_KEYWORDS.values() for w in ws]
        for action in ["opt_out", "opt_in", "help"]:
            words += (config or {}).get(action, [])
        return words

    def opt_out_words(self, config):
        return SPEC_KEYWORDS["opt_out"] + (config or {}).get("opt_out", [])

    def vary_case(self, word):
        style = self.rng.randrange(6)
        if style == 0:
            return word.lower()
        if style == 1:
            return word.upper()
        if style == 2:
            return word.title()
        if style == 3:
            return "".join(c.upper() if self.rng.random() < 0.5 else c.lower() for c in word)
        if style == 4:
            out = word.lower()
            for plain, traps in FOLDING_TRAPS.items():
                if plain in out and self.rng.random() < 0.3:
                    out = out.replace(plain, self.pick(traps), 1)
            return out
        return word

    def pad(self, awkward=0.03):
        out = []
        for _ in range(self.rng.randrange(5)):
            roll = self.rng.random()
            if roll < awkward:
                out.append(self.pick(AWKWARD_NEIGHBOURS))
            elif roll < 0.5:
                out.append(self.pick(self.white_space))
            else:
                out.append(self.pick(PUNCTUATION_SAMPLE))
        return "".join(out)

    def space(self):
        if self.rng.random() < 0.05:
            return self.pick(["\x1c", "_", "\u200b", "-", ""])
        return "".join(self.pick(self.white_space) if self.rng.random() < 0.4 else " "
                       for _ in range(1 + self.rng.randrange(3)))

    def spaced(self, phrase):
        return "".join(self.space() if ch == " " else ch for ch in phrase)

    def sentence(self, count):
        return " ".join(self.pick(FILLER) for _ in range(count))

    def attach(self, word):
        """A word with punctuation stuck to it, as people type."""
        return self.rng.choice(["", "¡", "\"", "(", "..."]) + word + \
            self.rng.choice(["", "!", ".", ",", "!!!", "?", ")", "\"", "…"])

    # Each kind returns one text for a given tenant configuration.
    def exact_keyword(self, config):
        word = self.vary_case(self.pick(self.keywords_of(config)))
        return self.pad() + self.spaced(word) + self.pad()

    def near_miss(self, config):
        word = self.vary_case(self.pick(NEAR_MISSES))
        return self.pad() + word + self.pad()

    def first_or_last_word(self, config):
        words = self.opt_out_words(config) if self.rng.random() < 0.7 else self.keywords_of(config)
        word = self.attach(self.vary_case(self.pick(words)))
        rest = self.sentence(1 + self.rng.randrange(6))
        return self.pad() + (word + " " + rest if self.rng.random() < 0.5 else rest + " " + word) \
            + self.pad()

    def middle_word(self, config):
        word = self.vary_case(self.pick(self.opt_out_words(config)))
        return self.sentence(1 + self.rng.randrange(3)) + " " + word + " " + \
            self.sentence(1 + self.rng.randrange(3))

    def phrase(self, config):
        phrase = self.vary_case(self.pick(PHRASES))
        if "'" in phrase and self.rng.random() < 0.4:
            phrase = phrase.replace("'", self.pick(TYPOGRAPHIC_APOSTROPHES + ["`", "´"]))
        if self.rng.random() < 0.2:
            phrase += self.pick(["at", "s", "ssage", "xt"])  # "remove meat", …
        return self.pad() + self.sentence(self.rng.randrange(4)) + " " + self.spaced(phrase) + \
            " " + self.sentence(self.rng.randrange(4)) + self.pad()

    def long_text(self, config):
        words = [self.pick(FILLER) for _ in range(30 + self.rng.randrange(300))]
        if self.rng.random() < 0.5:
            extra = self.pick(self.keywords_of(config) + PHRASES)
            words.insert(self.rng.randrange(len(words) + 1), self.attach(extra))
        return self.pad() + " ".join(words) + self.pad()

    def random_unicode(self, config):
        chars = [chr(self.pick(self.assigned)) for _ in range(self.rng.randrange(12))]
        if self.rng.random() < 0.5:
            chars.insert(self.rng.randrange(len(chars) + 1), self.pick(self.keywords_of(config)))
        return "".join(chars)

    def unicode_padding(self, config):
        """A keyword between any Unicode punctuation and white space, or a stray character."""
        def around():
            return "".join(self.pick(self.punctuation) if self.rng.random() < 0.6
                           else self.pick(self.white_space) if self.rng.random() < 0.8
                           else chr(self.pick(self.assigned))
                           for _ in range(self.rng.randrange(4)))
        return around() + self.vary_case(self.pick(self.keywords_of(config))) + around()

    KINDS = [("exact_keyword", 30), ("near_miss", 10), ("first_or_last_word", 15),
             ("middle_word", 5), ("phrase", 15), ("long_text", 5), ("random_unicode", 12),
             ("unicode_padding", 8)]

    def case(self):
        kinds, weights = zip(*self.KINDS)
        kind = self.rng.choices(kinds, weights)[0]
        config = self.pick(CONFIGS) if self.rng.random() < 0.25 else None
        return getattr(self, kind)(config), config


def fixed_cases():
    """Hand-picked cases every fixture starts with."""
    texts = [" Stop. ", "stopwatch", "weekend", "restart", "helpful", "ſtop", "ﬆop", "ＳＴＯＰ",
             "STOP ALL", "stop\u3000all", "stop\u00a0\u00a0all", "stop\x1call", "¡Stop!", "¿info?",
             "«UNSUBSCRIBE»", "<stop>", "`stop`", "stop\u200b", "\u200bstop", "opt-out", "opt_out",
             "Opt Out", "please stop", "stop please", "STOP!!! now", "I will stop by", "opt out now",
             "remove me", "Remove me!", "remove meat", "don't text me", "don\u2019t text me",
             "do not contact me", "leave me alone!!!", "", " ", "!!!", "stop stop", "end of story",
             "yes please", "the end", "Quit.", "\u2028stop\u2029", "\u0085stop\u0085", "stop\x1f"]
    for text in texts:
        yield text, None
    for config in CONFIGS[1:]:
        for text in ["arrêt", "ARRET", "Arrêt svp", "ne   plus", "oui", "yes", "info", "aide",
                     "Sí", "don\u2019t text", "please stop", "stopp", "unstop", "Schluss!"]:
            yield text, config


def line(text, config, keywords):
    expected, evidence = keywords.classify(text)
    out = {"text": text, "expected": expected}
    if evidence is not None:
        out["evidence"] = evidence
    if config is not None:
        out["config"] = config
    return json.dumps(out, ensure_ascii=False)


def cases(count, seed):
    compiled = {json.dumps(c, sort_keys=True): Keywords(c) for c in CONFIGS}
    generator = Generator(seed)
    written = 0
    for text, config in fixed_cases():
        print(line(text, config, compiled[json.dumps(config, sort_keys=True)]))
        written += 1
    while written < count:
        text, config = generator.case()
        print(line(text, config, compiled[json.dumps(config, sort_keys=True)]))
        written += 1


def unicode_table():
    """Every code point whose one-character normalization is not itself."""
    assigned, start = [], None
    for c in range(0x110001):
        is_assigned = c < 0x110000 and unicodedata.category(chr(c)) != "Cn"
        if is_assigned and start is None:
            start = c
        if not is_assigned and start is not None:
            assigned.append([start, c - 1])
            start = None
    changed = {}
    for c in range(0x110000):
        if 0xD800 <= c <= 0xDFFF:
            continue
        n = normalize(chr(c))
        if n != chr(c):
            changed[str(c)] = n
    json.dump({"unicode_version": unicodedata.unidata_version, "assigned": assigned,
               "changed": changed}, sys.stdout, ensure_ascii=True)
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("cases")
    gen.add_argument("--count", type=int, default=3000)
    gen.add_argument("--seed", type=int, default=1)
    sub.add_parser("unicode-table")
    args = parser.parse_args()
    if args.command == "cases":
        cases(args.count, args.seed)
    else:
        unicode_table()


if __name__ == "__main__":
    main()
