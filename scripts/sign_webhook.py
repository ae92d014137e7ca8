"""Signs a webhook the way each provider does, with code that is not msgcore's:
Twilio's own library (pip install twilio) for X-Twilio-Signature, Python's hmac
for Meta's X-Hub-Signature-256, and the cryptography package's Ed25519 for Telnyx.

Reads one JSON object on stdin and prints the signature header value(s):
  {"provider": "twilio", "auth_token": "...", "url": "...", "params": {...}}
  {"provider": "meta", "app_secret": "...", "body": "..."}
  {"provider": "telnyx", "private_key_hex": "<32-byte seed>", "timestamp": "...", "body": "..."}
    -> prints the base64 signature, then the base64 public key on a second line.
Used by tests/server.rs, the end-to-end test of examples/server.rs.
"""
import base64
import hashlib
import hmac
import json
import sys


def twilio(request):
    from twilio.request_validator import RequestValidator

    return RequestValidator(request["auth_token"]).compute_signature(
        request["url"], request["params"]
    )


def meta(request):
    digest = hmac.new(
        request["app_secret"].encode(), request["body"].encode(), hashlib.sha256
    ).hexdigest()
    return "sha256=" + digest


def telnyx(request):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(request["private_key_hex"]))
    signed = f'{request["timestamp"]}|{request["body"]}'.encode()
    public = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return "\n".join(
        [base64.b64encode(key.sign(signed)).decode(), base64.b64encode(public).decode()]
    )


request = json.load(sys.stdin)
print({"twilio": twilio, "meta": meta, "telnyx": telnyx}[request["provider"]](request))
