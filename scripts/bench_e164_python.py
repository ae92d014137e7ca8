#!/usr/bin/env python3
"""In-process peer for `cargo bench --bench phone`: Python `phonenumbers` parse +
validate + format E.164 over the same inputs (tests/fixtures/e164_oracle.jsonl),
mixed and already-E.164. Prints numbers per second for each, best of 5 rounds.

Usage: python3 scripts/bench_e164_python.py
"""
import json
import pathlib
import time

import phonenumbers as pn

FIXTURE = pathlib.Path(__file__).resolve().parent.parent / "tests/fixtures/e164_oracle.jsonl"


def e164(text, region):
    try:
        n = pn.parse(text, region)
    except pn.NumberParseException:
        return None
    return pn.format_number(n, pn.PhoneNumberFormat.E164) if pn.is_valid_number(n) else None


def rate(cases):
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for text, region in cases:
            e164(text, region)
        best = min(best, time.perf_counter() - start)
    return len(cases) / best


lines = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]
mixed = [(line["input"], line["region"]) for line in lines]
normalized = [(line["expected"]["e164"], None) for line in lines if "e164" in line["expected"]]
print(f"python phonenumbers {pn.__version__}")
print(f"e164/parse_mixed         {rate(mixed):>10.0f} numbers/s ({len(mixed)} inputs)")
print(f"e164/parse_already_e164  {rate(normalized):>10.0f} numbers/s ({len(normalized)} inputs)")
