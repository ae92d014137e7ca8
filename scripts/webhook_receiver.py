#!/usr/bin/env python3
"""An outgoing-webhook receiver that is not msgcore's: every delivery is
checked with the `standardwebhooks` package (PyPI; the specification's own
library) before it is accepted.

    python3 scripts/webhook_receiver.py PORT SECRET OUT_FILE

Listens on 127.0.0.1:PORT. A delivery whose signature `Webhook(SECRET).verify`
accepts is answered 204 and appended to OUT_FILE as one JSON line
{"id": webhook-id, "body": the parsed body}; any other is answered 400 and
appended as {"rejected": why}. Used by tests/server_api.rs.

    pip install standardwebhooks
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook

PORT, SECRET, OUT = int(sys.argv[1]), sys.argv[2], sys.argv[3]
VERIFIER = Webhook(SECRET)


def record(line):
    with open(OUT, "a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("content-length", "0"))
        body = self.rfile.read(length)
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            parsed = VERIFIER.verify(body, headers)
        except Exception as error:  # the library raises its own WebhookVerificationError
            record({"rejected": f"{type(error).__name__}: {error}"})
            self.send_response(400)
            self.end_headers()
            return
        record({"id": headers["webhook-id"], "body": parsed})
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    print("listening", flush=True)
    ThreadingHTTPServer(("127.0.0.1", PORT), Receiver).serve_forever()
