#!/usr/bin/env python3
"""The Python `phonenumbers` answer for each `msgctl e164` input line.

Usage: python3 scripts/e164_oracle.py [--e164-cap] [--fixture] < inputs.jsonl > expected.jsonl

Parse + validate + format E.164 — the same work `msgctl e164` does — with Google's
libphonenumber metadata as packaged by `phonenumbers`. With --e164-cap, an answer of
more than 15 digits becomes an error, as SPEC §1 requires (libphonenumber calls a few
16- and 17-digit German numbers valid; E.164 allows 15).

The metadata version matters: rlibphonenumber 2.2.15 embeds v9.0.42, so compare with
`pip install phonenumbers==9.0.42` for an exact match (9.0.43 changed RO and ZW ranges).

With --fixture, each output line is the input line plus `"expected": answer`; that is
how tests/fixtures/e164_oracle.jsonl was made:
`python3 scripts/e164_inputs.py 5000 2 | python3 scripts/e164_oracle.py --e164-cap --fixture`
(with phonenumbers 9.0.42).

This is also the peer in BENCHMARKS.md:
`time python3 scripts/e164_oracle.py < inputs.jsonl > /dev/null`.
"""
import json
import sys

import phonenumbers as pn

cap = "--e164-cap" in sys.argv[1:]
fixture = "--fixture" in sys.argv[1:]
out = sys.stdout
for raw in sys.stdin:
    try:
        line = json.loads(raw)
        n = pn.parse(line["input"], line.get("region"))
        if not pn.is_valid_number(n):
            answer = {"error": "invalid number"}
        else:
            e164 = pn.format_number(n, pn.PhoneNumberFormat.E164)
            too_long = cap and len(e164) - 1 > 15
            answer = {"error": "more than 15 digits"} if too_long else {"e164": e164}
    except Exception as e:  # noqa: BLE001 - every failure is an answer line
        answer = {"error": str(e)}
    if fixture:
        answer = {**json.loads(raw), "expected": answer}
    out.write(json.dumps(answer, ensure_ascii=False) + "\n")
