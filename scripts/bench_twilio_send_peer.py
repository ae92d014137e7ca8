#!/usr/bin/env python3
"""Peer benchmark, both sides in one run: sending one SMS through Twilio's
Messages API without the network.

msgcore: `twilio::send::MessagesApi::request` + `read` (criterion,
`send_request_read/twilio_sms` in `benches/providers.rs`).
twilio-python 9.x: `client.messages.create(...)` with a custom `http_client`
that answers at once with the same canned 201 JSON
(`benches/twilio_message_created.json`), same text, numbers and status callback.

twilio-python hands its client the form as a dict and the credentials as a
tuple; encoding them is the HTTP library's job (requests, in the stock client).
So the Python side is timed twice: with a client that does nothing, and with
one that also encodes the form and the basic-auth header, as msgcore's
`request` does.

    python3 scripts/bench_twilio_send_peer.py
"""

import base64
import json
import os
import subprocess
import timeit
from pathlib import Path
from urllib.parse import urlencode

from twilio.http import HttpClient
from twilio.http.response import Response
from twilio.rest import Client

ROOT = Path(__file__).resolve().parent.parent
ANSWER = (ROOT / "benches/twilio_message_created.json").read_text(encoding="utf-8")
CRITERION_ID = "send_request_read/twilio_sms"
ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef"
AUTH_TOKEN = "9f3c2b1a0e8d7c6b5a4f3e2d1c0b9a8f"
STATUS_CALLBACK = "https://example.com/webhooks/twilio/bench/status"


class CannedClient(HttpClient):
    """Answers every request with Twilio's 201, doing nothing else."""

    def __init__(self):
        super().__init__(logger=None, is_async=False)

    def request(self, method, uri, params=None, data=None, headers=None, auth=None,
                timeout=None, allow_redirects=False):
        return Response(201, ANSWER)


class EncodingClient(CannedClient):
    """Also writes the form body and the basic-auth header, as requests would."""

    def request(self, method, uri, params=None, data=None, headers=None, auth=None,
                timeout=None, allow_redirects=False):
        body = urlencode(data, doseq=True).encode()
        user = "{}:{}".format(*auth).encode()
        headers = dict(headers, Authorization="Basic " + base64.b64encode(user).decode())
        assert body and headers
        return Response(201, ANSWER)


def rust_median_ns():
    subprocess.run(
        ["cargo", "bench", "--bench", "providers", "--", CRITERION_ID,
         "--warm-up-time", "1", "--measurement-time", "3"],
        cwd=ROOT, check=True,
    )
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    estimates = target / "criterion" / CRITERION_ID / "new" / "estimates.json"
    return json.loads(estimates.read_text())["median"]["point_estimate"]


def python_best_ns(http_client):
    client = Client(ACCOUNT_SID, AUTH_TOKEN, http_client=http_client)
    sent = json.loads(ANSWER)

    def call():
        return client.messages.create(
            to=sent["to"], from_=sent["from"], body=sent["body"], status_callback=STATUS_CALLBACK
        )

    assert call().sid == sent["sid"]
    number = 5_000
    return min(timeit.repeat(call, number=number, repeat=5)) / number * 1e9


def main():
    rust = rust_median_ns()
    print(f"msgcore MessagesApi::request + read: {rust / 1e3:.2f} µs (criterion median)")
    for name, http_client in [("no-op client", CannedClient()), ("encoding client", EncodingClient())]:
        python = python_best_ns(http_client)
        print(f"twilio-python messages.create, {name}: {python / 1e3:.2f} µs "
              f"(best of 5 x 5000); msgcore is {python / rust:.1f}x faster")


if __name__ == "__main__":
    main()
