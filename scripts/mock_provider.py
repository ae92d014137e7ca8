"""A provider that accepts every message, for load runs on this machine:
answers Twilio's `POST /2010-04-01/Accounts/{sid}/Messages.json` with 201
and a new message sid, as the real API does when it queues a message.

    python3 scripts/mock_provider.py PORT

Threaded, so many sends are answered at once; it keeps nothing."""

import http.server
import itertools
import json
import sys
import threading

counter = itertools.count()
lock = threading.Lock()


class Accepting(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock:
            n = next(counter)
        body = json.dumps({"sid": f"SM{n:032x}", "status": "queued"}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Accepting)
    server.daemon_threads = True
    server.serve_forever()
