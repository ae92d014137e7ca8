#!/usr/bin/env python3
"""Compare `msgctl e164` answers with the `phonenumbers` oracle, line by line.

Usage: python3 scripts/e164_compare.py inputs.jsonl expected.jsonl actual.jsonl

Two answers agree when both give the same E.164 string or both are errors (the
wording of errors differs on purpose). Prints the count and the first mismatches.
"""
import json
import sys

inputs, expected, actual = (open(p, encoding="utf-8") for p in sys.argv[1:4])
total = mismatches = 0
for line, want, got in zip(inputs, expected, actual):
    total += 1
    want, got = json.loads(want), json.loads(got)
    if want.get("e164") != got.get("e164"):
        mismatches += 1
        if mismatches <= 20:
            print(f"MISMATCH {line.strip()}  phonenumbers={want}  msgctl={got}")
print(f"{total} inputs, {mismatches} mismatches")
sys.exit(1 if mismatches else 0)
