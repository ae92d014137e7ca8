#!/usr/bin/env python3
"""Peer benchmark: twilio-python 9.13.0 `RequestValidator.validate` on the same
Twilio inbound-SMS webhook that `benches/signatures.rs` measures
(`benches/twilio_sms_webhook.json`: 17 parameters, HMAC-SHA1).

Prints the mean time per call, comparable to criterion's "twilio validate_form"
figure. Run it right after the criterion bench, in the same session:

    cargo bench --bench signatures -- twilio --warm-up-time 1 --measurement-time 3
    python3 scripts/bench_signatures_peer.py
"""

import json
import timeit
from pathlib import Path

from twilio.request_validator import RequestValidator

INPUT = Path(__file__).resolve().parent.parent / "benches/twilio_sms_webhook.json"


def main():
    case = json.loads(INPUT.read_text(encoding="utf-8"))
    validator = RequestValidator(case["auth_token"])
    params = dict(case["params"])
    url, signature = case["url"], case["signature"]
    assert validator.validate(url, params, signature)

    def call():
        validator.validate(url, params, signature)

    number = 20_000
    best = min(timeit.repeat(call, number=number, repeat=5)) / number
    print(f"twilio-python RequestValidator.validate (17 params): {best * 1e6:.2f} µs per call (best of 5 x {number})")


if __name__ == "__main__":
    main()
