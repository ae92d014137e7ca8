#!/usr/bin/env python3
"""Oracle fixture for outgoing webhook signatures (SPEC §18, Standard Webhooks).

Writes tests/fixtures/standard_webhooks_oracle.jsonl, deterministically (a
fixed seed): one case per line,
    {"secret": "whsec_...", "id": ID, "timestamp": UNIX, "body_b64": B64,
     "signature": "v1,..."}
where "signature" is what the `standardwebhooks` package (PyPI; the
specification's own Python library) signs, and which its `Webhook.verify`
accepts for that body. Secrets are 1 to 64 random bytes; ids are `msg_` and
random letters, or any printable text; bodies are JSON, arbitrary UTF-8 or
arbitrary bytes, empty included.

    pip install standardwebhooks==1.3.0
    python3 scripts/standard_webhooks_oracle.py
"""

import base64
import json
import pathlib
import random
import string
from datetime import datetime, timezone

from standardwebhooks.webhooks import Webhook

CASES = 1000
OUT = pathlib.Path(__file__).resolve().parent.parent / "tests/fixtures/standard_webhooks_oracle.jsonl"


def body(rng):
    kind = rng.randrange(3)
    if kind == 0:
        event = {"type": rng.choice(["message.received", "contact.opted_out", "campaign.completed"]),
                 "data": {"text": "".join(rng.choice(string.printable) for _ in range(rng.randrange(40))),
                          "emoji": "👍🏽", "n": rng.randrange(10**9)}}
        return json.dumps(event, ensure_ascii=rng.random() < 0.5).encode()
    if kind == 1:
        return "".join(chr(rng.choice([rng.randrange(32, 127), rng.randrange(0xA0, 0xD7FF)]))
                       for _ in range(rng.randrange(80))).encode()
    return bytes(rng.randrange(256) for _ in range(rng.randrange(120)))


def main():
    rng = random.Random(18)
    lines = []
    for _ in range(CASES):
        key = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 65)))
        secret = "whsec_" + base64.b64encode(key).decode()
        if rng.random() < 0.8:
            msg_id = "msg_" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(27))
        else:
            msg_id = "".join(rng.choice(string.printable.strip()) for _ in range(rng.randrange(1, 30)))
        timestamp = rng.randrange(0, 4_000_000_000)
        data = body(rng)
        hook = Webhook(secret)
        signature = hook.sign(msg_id, datetime.fromtimestamp(timestamp, tz=timezone.utc), data)
        lines.append(json.dumps({"secret": secret, "id": msg_id, "timestamp": timestamp,
                                 "body_b64": base64.b64encode(data).decode(), "signature": signature},
                                ensure_ascii=False))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} cases to {OUT}")


if __name__ == "__main__":
    main()
