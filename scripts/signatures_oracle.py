#!/usr/bin/env python3
"""Oracle fixtures for webhook signature verification (SPEC §15, `msgctl verify` §17).

Produces two files, deterministically (fixed seeds):

  tests/fixtures/signatures_oracle.jsonl
      One `msgctl verify` input per line, plus "expected": true|false and a
      "case" label (msgctl must ignore both). Forms:
        {"provider": "twilio", "url": U, "params": {k: v or [v, ...]}, "auth_token": T, "signature": S}
        {"provider": "twilio", "url": U_with_bodySHA256, "body": RAW, "auth_token": T, "signature": S}
        {"provider": "meta", "body": RAW, "app_secret": K, "signature": "sha256=..."}
        {"provider": "telnyx", "body": RAW, "timestamp": "...", "signature": B64,
         "public_key": B64, "now": UNIX, "tolerance_s": 300}
      Optional Twilio fields: "signature_settings" (the X-Twilio-Webhooks-Signature-Settings
      header value, which names the algorithm) and "public_base_url" (a proxy
      deployment's configured public base URL; "url" is then the URL the server saw).
      "signature" may be null: the header was missing.

  tests/fixtures/twilio_url_variants.jsonl
      {"url": U, "variants": [without_port, with_port]} or {"url": U, "error": true}:
      what twilio-python's remove_port/add_port make of urllib.parse.urlparse(U),
      for a few thousand awkward URLs (the differential test of our urlparse port).

How "expected" is computed:
  twilio  twilio-python 9.13.0 `RequestValidator(T).validate(url, params, S, algorithm=A)`
          with params as a dict subclass with `getall` (Flask's multi-dict protocol),
          or the raw body string for the JSON form; A from the reference's own
          `get_signature_algorithm(signature_settings)`. An exception (a non-numeric
          port, a raw body without bodySHA256, a missing signature) counts as false.
          On top, our fail-closed rule: an empty auth token or an empty/missing
          signature is false even where the reference would compute an HMAC with an
          empty key. With "public_base_url", the URL given to the reference is the
          base (trailing "/" removed) followed by the path and query of "url".
  meta    Python `hmac`: the header is "sha256=" followed by exactly 64 ASCII hex
          digits (either case) equal, lower-cased, to hmac.new(K, RAW, sha256).hexdigest();
          an empty secret or header is false.
  telnyx  PyNaCl (libsodium) `VerifyKey(key).verify(timestamp + "|" + RAW, sig)`, as
          telnyx-python does, with our strictness applied on top: the timestamp must be
          ASCII digits only; |now - timestamp| <= tolerance_s; the public key and the
          signature must be canonical base64 (b64encode(b64decode(x)) == x, standard
          alphabet, no white space or junk) of exactly 32 and 64 bytes.

Run from the repository root (Python 3.11 with twilio 9.13.0 and pynacl):
    python3 scripts/signatures_oracle.py
"""

import base64
import hashlib
import hmac
import json
import logging
import random
import re
import string
import urllib.parse
from pathlib import Path

import nacl.signing
from nacl.exceptions import BadSignatureError
from twilio import request_validator as twilio_rv

ROOT = Path(__file__).resolve().parent.parent
ORACLE = ROOT / "tests/fixtures/signatures_oracle.jsonl"
URL_VARIANTS = ROOT / "tests/fixtures/twilio_url_variants.jsonl"


class MultiDict(dict):
    """A name -> [values] dict that twilio-python reads through `getall`, like Flask's."""

    def getall(self, name):
        return self[name]


# ---------------------------------------------------------------- expectations


def twilio_expected(case):
    token, signature = case["auth_token"], case["signature"]
    if not token or not signature:
        return False
    url = case["url"]
    if "public_base_url" in case:
        url = rebuild_public(case["public_base_url"], url)
    algorithm = twilio_rv.get_signature_algorithm(case.get("signature_settings"))
    if "body" in case:
        params = case["body"]
    else:
        params = MultiDict(
            {k: (v if isinstance(v, list) else [v]) for k, v in case["params"].items()}
        )
    try:
        return bool(
            twilio_rv.RequestValidator(token).validate(url, params, signature, algorithm=algorithm)
        )
    except Exception:
        return False


def rebuild_public(base, target):
    """The public URL for a request target: base without trailing '/', then the path and query."""
    if not target.startswith("/") and "://" in target:
        after = target.split("://", 1)[1]
        cut = min([i for i in (after.find(c) for c in "/?#") if i >= 0], default=len(after))
        target = after[cut:]
    if not target.startswith("/"):
        target = "/" + target
    return base.rstrip("/") + target


def meta_expected(case):
    secret, signature = case["app_secret"], case["signature"]
    if not secret or not signature or not signature.startswith("sha256="):
        return False
    digits = signature[len("sha256="):]
    if len(digits) != 64 or any(c not in string.hexdigits for c in digits):
        return False
    mac = hmac.new(secret.encode(), case["body"].encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(mac, digits.lower())


def strict_b64(text):
    try:
        raw = base64.b64decode(text, validate=True)
    except Exception:
        return None
    return raw if base64.b64encode(raw).decode() == text else None


def telnyx_expected(case):
    timestamp, signature = case["timestamp"], case["signature"]
    if not timestamp or not signature:
        return False
    if not re.fullmatch(r"[0-9]+", timestamp, flags=re.ASCII):
        return False
    if abs(case["now"] - int(timestamp)) > case["tolerance_s"]:
        return False
    key, sig = strict_b64(case["public_key"]), strict_b64(signature)
    if key is None or len(key) != 32 or sig is None or len(sig) != 64:
        return False
    try:
        nacl.signing.VerifyKey(key).verify(
            timestamp.encode() + b"|" + case["body"].encode(), sig
        )
        return True
    except (BadSignatureError, ValueError, TypeError):
        return False


# ---------------------------------------------------------------- twilio inputs

SMS_PARAMS = {
    "ToCountry": "US", "ToState": "CA", "SmsMessageSid": "SM2a7c1c0f4d9b7c3e8f1a2b3c4d5e6f70",
    "NumMedia": "0", "ToCity": "SAN FRANCISCO", "FromZip": "94105", "SmsSid": "SM2a7c1c0f4d9b7c3e8f1a2b3c4d5e6f70",
    "FromState": "CA", "SmsStatus": "received", "FromCity": "SAN FRANCISCO", "Body": "Hello there",
    "FromCountry": "US", "To": "+14155550100", "ToZip": "94105", "NumSegments": "1",
    "MessageSid": "SM2a7c1c0f4d9b7c3e8f1a2b3c4d5e6f70", "AccountSid": "AC0123456789abcdef0123456789abcdef",
    "From": "+14155550199", "ApiVersion": "2010-04-01",
}
WHATSAPP_PARAMS = {
    "SmsMessageSid": "SM11", "NumMedia": "1", "ProfileName": "Zoë 🌸", "MessageType": "image",
    "WaId": "5511987654321", "Body": "", "To": "whatsapp:+14155238886", "From": "whatsapp:+5511987654321",
    "MediaUrl0": "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
    "MediaContentType0": "image/jpeg", "ReferralCtwaClid": "ARAkLkA8", "ButtonText": "",
    "AccountSid": "AC0123456789abcdef0123456789abcdef", "ApiVersion": "2010-04-01",
}
UNICODE_PARAMS = {
    "Body": "Hola ñandú 👋 — «ça va?» 日本語", "Ünïcode": "value", "\uff21": "fullwidth A",
    "\U0001f600": "astral name sorts after U+FF21 by code point", "_": "", "a": "lower", "B": "upper",
    "é": "e acute", "": "empty name",
}

URLS = [
    "https://mycompany.com/myapp.php?foo=1&bar=2",
    "https://example.com/twilio/sms",
    "http://example.com/twilio/sms",
    "https://example.com:443/twilio/sms",
    "http://example.com:80/twilio/sms",
    "https://example.com:8443/twilio/sms?tenant=acme",
    "http://example.com:8080/sms",
    "https://example.com:80/sms",
    "http://example.com:443/sms",
    "https://example.com/sms?tenant=acme&x=%20y+z",
    "https://example.com/sms?",
    "https://example.com/sms#",
    "https://example.com/sms#frag",
    "https://example.com/sms?a=1#frag",
    "https://example.com/sms;jsessionid=abc?a=1",
    "https://example.com/sms;",
    "HTTPS://Example.COM/Sms",
    "https://user:pass@example.com:8443/sms",
    "https://user:pass@example.com/sms",
    "https://user@example.com/sms",
    "https://[::1]:8443/sms",
    "https://[::1]/sms",
    "https://[fe80::1%25eth0]/sms",
    "https://example.com",
    "https://example.com/",
    "https://example.com:0/sms",
    "https://example.com:00443/sms",
    "https://example.com:/sms",
    "https://example.com:https/sms",
    "https://example.com:99999/sms",
    "https://[::1/sms",
    "https://[1.2.3.4]/sms",
    "https://ex\uff0fample.com/sms",
    "https://bücher.example/sms",
    "https://example.com/ünï/cödé?q=ü",
    "  https://example.com/sms",
    "https://example.com/s\tm\ns",
    "https://example.com/sms?bodySHA256=abc",
    "//example.com/sms",
    "/sms?a=1",
]

PARAM_SETS = [
    ("sms", SMS_PARAMS),
    ("whatsapp", WHATSAPP_PARAMS),
    ("unicode", UNICODE_PARAMS),
    ("empty", {}),
    ("empty-values", {"Body": "", "From": "+14155550199", "MediaUrl0": ""}),
    ("repeated-same", {"Tag": ["a", "a", "a"], "Body": "x"}),
    ("repeated-different", {"Tag": ["b", "a", "c", "a"], "Body": ["z", "y"], "From": "+1"}),
    ("repeated-empty-list", {"Tag": [], "Body": "x"}),
]


def twilio_case(label, url, params, token, signature, **extra):
    case = {"provider": "twilio", "url": url, "params": params, "auth_token": token, "signature": signature}
    case.update(extra)
    case["case"] = label
    return case


def reference_signature(token, url, params, algorithm=None):
    multi = MultiDict({k: (v if isinstance(v, list) else [v]) for k, v in params.items()})
    return twilio_rv.RequestValidator(token).compute_signature(url, multi, algorithm)


def reference_variants(url):
    try:
        parsed = urllib.parse.urlparse(url)
        return [twilio_rv.remove_port(parsed), twilio_rv.add_port(parsed)]
    except ValueError:
        return None


def signed_url_choices(url):
    """URLs a Twilio server might have signed for a request to `url`."""
    choices = [("as-given", url)]
    variants = reference_variants(url)
    if variants:
        choices += [("without-port", variants[0]), ("with-port", variants[1])]
    return choices


def tamper_params(rng, params):
    if not params:
        return "param-added", {"Injected": "1"}
    tampered = dict(params)
    name = rng.choice(sorted(tampered))
    value = tampered[name]
    kind = rng.randrange(4)
    if kind == 0:
        tampered[name] = (value if isinstance(value, str) else ",".join(value)) + "x"
        return "param-value-changed", tampered
    if kind == 1:
        del tampered[name]
        return "param-removed", tampered
    if kind == 2:
        tampered[name + "x"] = tampered.pop(name)
        return "param-renamed", tampered
    tampered["Injected"] = "1"
    return "param-added", tampered


def tamper_url(rng, url):
    if "?" in url:
        return url.replace("?", "?z=1&", 1)
    if url.endswith("/"):
        return url + "x"
    return url + "x"


def flip_char(rng, text):
    if not text:
        return "A"
    i = rng.randrange(len(text))
    alphabet = string.ascii_letters + string.digits + "+/"
    replacement = rng.choice([c for c in alphabet if c != text[i]])
    return text[:i] + replacement + text[i + 1:]


def random_token(rng):
    return "".join(rng.choice("0123456789abcdef") for _ in range(32))


def twilio_form_cases(rng):
    cases = []
    for url in URLS:
        for set_name, params in PARAM_SETS[:1] + rng.sample(PARAM_SETS[1:], 2):
            token = random_token(rng)
            for choice, signed_url in signed_url_choices(url):
                good = reference_signature(token, signed_url, params)
                label = f"form {set_name} signed over {choice} url"
                cases.append(twilio_case(label, url, params, token, good))
            good = reference_signature(token, url, params)
            tamper, tampered = tamper_params(rng, params)
            cases.append(twilio_case(f"form {set_name} {tamper}", url, tampered, token, good))
            cases.append(twilio_case(f"form {set_name} url changed", tamper_url(rng, url), params, token, good))
            cases.append(twilio_case(f"form {set_name} signature char flipped", url, params, token, flip_char(rng, good)))
            if rng.random() < 0.5:
                cases.append(twilio_case(f"form {set_name} signature truncated", url, params, token, good[:-2]))
            else:
                cases.append(twilio_case(f"form {set_name} wrong token", url, params, random_token(rng), good))
    # Parameter order in the input never matters; repeated values are deduplicated.
    for _ in range(40):
        token = random_token(rng)
        names = rng.sample(sorted(SMS_PARAMS), 8)
        params = {n: SMS_PARAMS[n] for n in names}
        shuffled = dict(rng.sample(list(params.items()), len(params)))
        url = rng.choice(URLS[:10])
        good = reference_signature(token, url, params)
        cases.append(twilio_case("form shuffled parameter order", url, shuffled, token, good))
        dup = dict(params)
        dup["Body"] = [params.get("Body", "b"), params.get("Body", "b")]
        cases.append(twilio_case("form duplicate value of one name", url, dup, token, reference_signature(token, url, dup)))
        single = dict(params)
        single["Body"] = params.get("Body", "b")
        cases.append(twilio_case("form duplicate values signed as one", url, dup, token, reference_signature(token, url, single)))
    # Missing pieces fail closed.
    for url in URLS[:8]:
        token = random_token(rng)
        good = reference_signature(token, url, SMS_PARAMS)
        cases.append(twilio_case("form missing signature header", url, SMS_PARAMS, token, None))
        cases.append(twilio_case("form empty signature header", url, SMS_PARAMS, token, ""))
        empty_key_sig = reference_signature("", url, SMS_PARAMS)
        cases.append(twilio_case("form empty auth token", url, SMS_PARAMS, "", empty_key_sig))
        cases.append(twilio_case("form signature with trailing space", url, SMS_PARAMS, token, good + " "))
    return cases


def twilio_algorithm_cases(rng):
    cases = []
    settings = [
        ("sha256 header", "key=webhooks_sharedkey_1,algorithm=HMAC_SHA256", "HMAC_SHA256"),
        ("sha256 header spaced lower", " algorithm = hmac_sha256 , key=k", "HMAC_SHA256"),
        ("sha1 header", "algorithm=HMAC_SHA1", None),
        ("header without algorithm", "key=webhooks_sharedkey_1", None),
        ("empty header", "", None),
        ("blank algorithm then sha256", "algorithm=,algorithm=HMAC_SHA256", "HMAC_SHA256"),
        ("unknown algorithm", "algorithm=HMAC_SHA512", "HMAC_SHA256"),
    ]
    for label, header, sign_with in settings:
        for url in rng.sample(URLS[:20], 8):
            token = random_token(rng)
            for signer in (sign_with, None if sign_with else "HMAC_SHA256"):
                sig = reference_signature(token, url, SMS_PARAMS, signer)
                cases.append(twilio_case(
                    f"form {label}, signed with {signer or 'HMAC_SHA1'}", url, SMS_PARAMS, token, sig,
                    signature_settings=header,
                ))
    return cases


def twilio_proxy_cases(rng):
    cases = []
    proxied = [
        ("https://api.example.com", "http://10.0.0.5:8080/twilio/sms?tenant=acme", "/twilio/sms?tenant=acme"),
        ("https://api.example.com/", "http://internal/twilio/voice", "/twilio/voice"),
        ("https://example.com/messaging", "http://127.0.0.1:3000/sms", "/sms"),
        ("https://api.example.com:8443", "http://10.1.1.1/sms?a=1&b=2", "/sms?a=1&b=2"),
    ]
    for base, internal, target in proxied:
        for _ in range(6):
            token = random_token(rng)
            params = dict(rng.sample(list(SMS_PARAMS.items()), 10))
            public = rebuild_public(base, target)
            good = reference_signature(token, public, params)
            cases.append(twilio_case("form proxy-rewritten url without public base", internal, params, token, good))
            cases.append(twilio_case("form proxy-rewritten url with public base", internal, params, token, good, public_base_url=base))
            cases.append(twilio_case("form request target with public base", target, params, token, good, public_base_url=base))
            cases.append(twilio_case("form public base but signed over internal url", internal, params, token,
                                     reference_signature(token, internal, params), public_base_url=base))
    return cases


def twilio_json_case(label, url, body, token, signature, **extra):
    case = {"provider": "twilio", "url": url, "body": body, "auth_token": token, "signature": signature}
    case.update(extra)
    case["case"] = label
    return case


def json_body(rng, size):
    payload = {"MessageSid": "SM" + random_token(rng), "Body": "", "Status": "delivered", "Extra": []}
    while len(json.dumps(payload)) < size:
        payload["Extra"].append(rng.choice(["α", "b", "ç", "🙂", "x" * 10, '"quoted"', "\\slash"]))
    return json.dumps(payload, ensure_ascii=rng.random() < 0.5)


def twilio_json_cases(rng):
    cases = []
    bases = ["https://example.com/twilio/status", "https://example.com:443/hook", "http://example.com:8080/hook",
             "https://example.com/hook?tenant=acme", "https://EXAMPLE.com/hook#frag"]
    for _ in range(30):
        base = rng.choice(bases)
        body = json_body(rng, rng.choice([0, 40, 200, 400]) or 0) if rng.random() < 0.95 else ""
        token = random_token(rng)
        digest = hashlib.sha256(body.encode()).hexdigest()
        joiner = "&" if "?" in base.split("#")[0] else "?"

        def with_query(query):
            if "#" in base:
                head, frag = base.split("#", 1)
                return f"{head}{joiner}{query}#{frag}"
            return f"{base}{joiner}{query}"

        url = with_query(f"bodySHA256={digest}")
        signed = rng.choice(signed_url_choices(url))[1]
        good = reference_signature(token, signed, {})
        cases.append(twilio_json_case("json right bodySHA256", url, body, token, good))
        cases.append(twilio_json_case("json body tampered", url, body + " ", token, good))
        other = hashlib.sha256(b"other").hexdigest()
        wrong_url = with_query(f"bodySHA256={other}")
        cases.append(twilio_json_case("json wrong bodySHA256", wrong_url, body, token, reference_signature(token, wrong_url, {})))
        cases.append(twilio_json_case("json url changed", url.replace("/hook", "/hooks").replace("/status", "/statuses"), body, token, good))
        cases.append(twilio_json_case("json signature char flipped", url, body, token, flip_char(rng, good)))
        cases.append(twilio_json_case("json wrong token", url, body, random_token(rng), good))
        upper = with_query(f"bodySHA256={digest.upper()}")
        cases.append(twilio_json_case("json upper-case bodySHA256", upper, body, token, reference_signature(token, upper, {})))
        encoded = with_query("bodySHA256=" + "".join(f"%{ord(c):02x}" if rng.random() < 0.3 else c for c in digest))
        cases.append(twilio_json_case("json percent-encoded bodySHA256", encoded, body, token, reference_signature(token, encoded, {})))
        name_encoded = with_query(f"body%53HA256={digest}")
        cases.append(twilio_json_case("json percent-encoded bodySHA256 name", name_encoded, body, token, reference_signature(token, name_encoded, {})))
        blank = with_query("bodySHA256=")
        cases.append(twilio_json_case("json blank bodySHA256", blank, body, token, reference_signature(token, blank, {})))
        blank_then_right = with_query(f"bodySHA256=&bodySHA256={digest}")
        cases.append(twilio_json_case("json blank then right bodySHA256", blank_then_right, body, token,
                                      reference_signature(token, blank_then_right, {})))
        wrong_then_right = with_query(f"bodySHA256={other}&bodySHA256={digest}")
        cases.append(twilio_json_case("json first bodySHA256 wins", wrong_then_right, body, token,
                                      reference_signature(token, wrong_then_right, {})))
        plus = with_query(f"bodySHA256=+{digest}")
        cases.append(twilio_json_case("json bodySHA256 with plus", plus, body, token, reference_signature(token, plus, {})))
        cases.append(twilio_json_case("json no bodySHA256", base, body, token, reference_signature(token, base, {})))
        cases.append(twilio_json_case("json missing signature", url, body, token, None))
    # An empty body without bodySHA256 is a parameterless request over the URL alone.
    for base in bases:
        token = random_token(rng)
        cases.append(twilio_json_case("json empty body without bodySHA256", base, "", token, reference_signature(token, base, {})))
    return cases


# ---------------------------------------------------------------- meta inputs


def meta_case(label, body, secret, signature):
    return {"provider": "meta", "body": body, "app_secret": secret, "signature": signature, "case": label}


def whatsapp_body(rng, size):
    message = {"from": "5511987654321", "id": "wamid." + random_token(rng), "timestamp": "1700000000",
               "type": "text", "text": {"body": ""}}
    envelope = {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
        {"field": "messages", "value": {"messaging_product": "whatsapp", "messages": [message]}}]}]}
    while len(json.dumps(envelope)) < size:
        message["text"]["body"] += rng.choice(["Olá ", "😀", "ação ", "text ", "\n", "\"q\" "])
    return json.dumps(envelope, ensure_ascii=rng.random() < 0.5, separators=(",", ":"))


def meta_cases(rng):
    cases = []
    for _ in range(40):
        body = whatsapp_body(rng, rng.choice([100, 250, 600]))
        secret = random_token(rng)
        digest = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
        mixed = "".join(c.upper() if rng.random() < 0.5 else c for c in digest)
        cases += [
            meta_case("lower-case hex", body, secret, "sha256=" + digest),
            meta_case("upper-case hex", body, secret, "sha256=" + digest.upper()),
            meta_case("mixed-case hex", body, secret, "sha256=" + mixed),
            meta_case("upper-case prefix", body, secret, "SHA256=" + digest),
            meta_case("sha1 prefix", body, secret, "sha1=" + digest),
            meta_case("no prefix", body, secret, digest),
            meta_case("truncated", body, secret, "sha256=" + digest[:-1]),
            meta_case("extended", body, secret, "sha256=" + digest + "0"),
            meta_case("non-hex digit", body, secret, "sha256=" + digest[:-1] + "g"),
            meta_case("hex digit flipped", body, secret, "sha256=" + digest[:-1] + ("0" if digest[-1] != "0" else "1")),
            meta_case("body tampered", body.replace("whatsapp", "whatsApp", 1), secret, "sha256=" + digest),
            meta_case("wrong secret", body, random_token(rng), "sha256=" + digest),
            meta_case("leading space", body, secret, " sha256=" + digest),
        ]
        if rng.random() < 0.2:
            cases.append(meta_case("missing header", body, secret, None))
            cases.append(meta_case("empty secret", body, "",
                                   "sha256=" + hmac.new(b"", body.encode(), hashlib.sha256).hexdigest()))
            fullwidth = "sha256=" + digest[:-1] + "\uff10"
            cases.append(meta_case("full-width digit", body, secret, fullwidth))
    return cases


# ---------------------------------------------------------------- telnyx inputs

NOW = 1_700_000_000


def telnyx_case(label, body, timestamp, signature, public_key, now, tolerance):
    return {"provider": "telnyx", "body": body, "timestamp": timestamp, "signature": signature,
            "public_key": public_key, "now": now, "tolerance_s": tolerance, "case": label}


def telnyx_body(rng, size):
    payload = {"data": {"event_type": "message.received", "id": random_token(rng),
                        "payload": {"text": "", "from": {"phone_number": "+13125550001"}}}}
    while len(json.dumps(payload)) < size:
        payload["data"]["payload"]["text"] += rng.choice(["hi ", "¿qué? ", "👍", "STOP ", "\t"])
    return json.dumps(payload, ensure_ascii=rng.random() < 0.5)


def sign_telnyx(key, timestamp, body):
    return base64.b64encode(key.sign(timestamp.encode() + b"|" + body.encode()).signature).decode()


def non_canonical_b64(encoded):
    """The same bytes, spelled with non-zero unused bits in the last character."""
    alphabet = string.ascii_uppercase + string.ascii_lowercase + string.digits + "+/"
    stripped = encoded.rstrip("=")
    pad = len(encoded) - len(stripped)
    last = alphabet.index(stripped[-1])
    unused = (1 << (2 * pad)) - 1
    return stripped[:-1] + alphabet[last | unused] + "=" * pad


SMALL_ORDER_KEY = base64.b64encode(bytes([1] + [0] * 31)).decode()  # the identity point
# y = p + 3 (not reduced): y = 3 is a point of large order, so only the encoding is wrong.
NON_CANONICAL_KEY = base64.b64encode(((2**255 - 19) + 3).to_bytes(32, "little")).decode()
# y = 2 is not on the curve.
NOT_A_POINT_KEY = base64.b64encode((2).to_bytes(32, "little")).decode()


def telnyx_cases(rng):
    cases = []
    for _ in range(30):
        key = nacl.signing.SigningKey(bytes(rng.randrange(256) for _ in range(32)))
        public = base64.b64encode(bytes(key.verify_key)).decode()
        body = telnyx_body(rng, rng.choice([50, 200, 500]))
        tolerance = rng.choice([300, 300, 300, 0, 60, 600])
        now = NOW + rng.randrange(10**6)
        for offset, label in [(0, "now"), (tolerance, "exactly tolerance old"), (-tolerance, "exactly tolerance ahead"),
                              (tolerance + 1, "one second too old"), (-tolerance - 1, "one second too far ahead"),
                              (10**9, "far too old")]:
            timestamp = str(now - offset)
            cases.append(telnyx_case(f"timestamp {label}", body, timestamp, sign_telnyx(key, timestamp, body), public, now, tolerance))
        timestamp = str(now - rng.randrange(tolerance + 1))
        good = sign_telnyx(key, timestamp, body)
        other = nacl.signing.SigningKey(bytes(rng.randrange(256) for _ in range(32)))
        other_public = base64.b64encode(bytes(other.verify_key)).decode()
        cases += [
            telnyx_case("valid", body, timestamp, good, public, now, tolerance),
            telnyx_case("body tampered", body + " ", timestamp, good, public, now, tolerance),
            telnyx_case("timestamp changed after signing", body, str(int(timestamp) - 1), good, public, now, max(tolerance, 1)),
            telnyx_case("wrong key", body, timestamp, good, other_public, now, tolerance),
            telnyx_case("truncated signature", body, timestamp, base64.b64encode(base64.b64decode(good)[:63]).decode(), public, now, tolerance),
            telnyx_case("signature without padding", body, timestamp, good.rstrip("="), public, now, tolerance),
            telnyx_case("signature with non-canonical trailing bits", body, timestamp, non_canonical_b64(good), public, now, tolerance),
            telnyx_case("signature with junk inside", body, timestamp, good[:10] + "!" + good[10:], public, now, tolerance),
            telnyx_case("signature with a newline", body, timestamp, good[:40] + "\n" + good[40:], public, now, tolerance),
            telnyx_case("signature with trailing space", body, timestamp, good + " ", public, now, tolerance),
            telnyx_case("signature in url-safe alphabet", body, timestamp, good.replace("+", "-").replace("/", "_"), public, now, tolerance),
            telnyx_case("signature byte flipped", body, timestamp, base64.b64encode(bytes([base64.b64decode(good)[0] ^ 1]) + base64.b64decode(good)[1:]).decode(), public, now, tolerance),
            telnyx_case("key with non-canonical trailing bits", body, timestamp, good, non_canonical_b64(public), now, tolerance),
            telnyx_case("key without padding", body, timestamp, good, public.rstrip("="), now, tolerance),
            telnyx_case("key of 31 bytes", body, timestamp, good, base64.b64encode(bytes(key.verify_key)[:31]).decode(), now, tolerance),
            telnyx_case("small-order key", body, timestamp, good, SMALL_ORDER_KEY, now, tolerance),
            telnyx_case("non-canonical key encoding", body, timestamp, good, NON_CANONICAL_KEY, now, tolerance),
            telnyx_case("key not on the curve", body, timestamp, good, NOT_A_POINT_KEY, now, tolerance),
        ]
        for odd, label in [("+" + timestamp, "timestamp with plus sign"), (" " + timestamp, "timestamp with leading space"),
                           (timestamp[:4] + "_" + timestamp[4:], "timestamp with underscore"),
                           ("".join(chr(0x660 + int(d)) for d in timestamp), "timestamp in Arabic-Indic digits"),
                           (timestamp + ".0", "timestamp with decimals"), ("0" + timestamp, "timestamp with leading zero"),
                           ("-" + timestamp, "negative timestamp"), ("9" * 40, "timestamp beyond 64 bits")]:
            cases.append(telnyx_case(label, body, odd, sign_telnyx(key, odd, body), public, now, tolerance))
        if rng.random() < 0.3:
            cases.append(telnyx_case("missing signature", body, timestamp, None, public, now, tolerance))
            cases.append(telnyx_case("missing timestamp", body, None, good, public, now, tolerance))
            cases.append(telnyx_case("empty timestamp", body, "", sign_telnyx(key, "", body), public, now, tolerance))
    return cases


# ---------------------------------------------------------------- url variants

SCHEMES = ["https", "http", "HTTPS", "Http", "ftp", "ws", "", "h+t-t.p", "1http", "ht tp", "é"]
SEPARATORS = ["://", ":", ":/", ":///", "//"]
USERINFO = ["", "", "", "user@", "user:pass@", "u:p:q@", "@", "a@b@", "us%20er:pa@ss@"]
HOSTS = ["example.com", "EXAMPLE.com", "[::1]", "[fe80::1%eth0]", "[fe80::1%]", "[v1.x]", "[v.x]", "[vg.x]", "[V1.x]",
         "[1.2.3.4]", "[::ffff:1.2.3.4]", "[::ffff:1.2.3.04]", "[::1", "::1]", "bücher.de", "ex\uff0fample.com", "a\u2100b",
         "", "[]", "[1:2:3:4:5:6:7:8]", "[1::2::3]", "[1:2:3:4:5:6:7::8]", "[::1:2:3:4:5:6:7]", "[1:2:3:4:5:6:7:8:9]",
         "[:1:2:3:4:5:6:7]", "[1:2:3:4:5:6:7:]", "[12345::]", "[::g]", "[::]", "[:::]", "[1:2:3:4:5:6:1.2.3.4]",
         "[1::1.2.3.4]", "[::1.2.3]", "[::256.1.1.1]", "]x[", "[a]b]", "x[::1]y", "10.0.0.1", "xn--bcher-kva.de",
         "\u00e9xample.com", "ex%41mple.com", "exa\u0130mple.com", "a\ufe13b", "ａｂｃ.com"]
PORTS = ["", "", ":", ":80", ":443", ":8080", ":0", ":000", ":00443", ":65535", ":65536", ":abc", ":-1", ":+80",
         ": 80", ":\u0668\u0660", ":80:90", ":99999999999999999999", ":8o", ":1_0"]
PATHS = ["", "/", "/a/b", "//x", "/a;b", "/a;", ";p", "/a;b/c;d", "/a;b;c", "a/b", "/ü", "/%20", "/a b", "/x?", "/;"]
QUERIES = ["", "", "?", "?a=1", "?a=1&b=2", "??", "?a=1;b=2", "?q=ü", "?x=[y]"]
FRAGMENTS = ["", "", "#", "#f", "#a?b", "#x#y"]
PREFIXES = ["", "", "", " ", "\t", "\x00", "\x1f ", "\n"]


def random_url(rng):
    url = (rng.choice(PREFIXES) + rng.choice(SCHEMES) + rng.choice(SEPARATORS) + rng.choice(USERINFO)
           + rng.choice(HOSTS) + rng.choice(PORTS) + rng.choice(PATHS) + rng.choice(QUERIES) + rng.choice(FRAGMENTS))
    if rng.random() < 0.1:
        i = rng.randrange(len(url) + 1)
        url = url[:i] + rng.choice(["\t", "\r", "\n", " "]) + url[i:]
    return url


def url_variant_lines(rng):
    seen, lines = set(), []
    for url in URLS:
        seen.add(url)
        lines.append(url)
    while len(lines) < 3000:
        url = random_url(rng)
        if url not in seen:
            seen.add(url)
            lines.append(url)
    out = []
    for url in lines:
        variants = reference_variants(url)
        out.append({"url": url, "variants": variants} if variants else {"url": url, "error": True})
    return out


# ---------------------------------------------------------------- main


def main():
    logging.disable(logging.WARNING)  # the reference logs every unsupported algorithm
    rng = random.Random(20240615)
    cases = (twilio_form_cases(rng) + twilio_algorithm_cases(rng) + twilio_proxy_cases(rng)
             + twilio_json_cases(rng) + meta_cases(rng) + telnyx_cases(rng))
    expect = {"twilio": twilio_expected, "meta": meta_expected, "telnyx": telnyx_expected}
    with ORACLE.open("w", encoding="utf-8") as f:
        for case in cases:
            case["expected"] = expect[case["provider"]](case)
            f.write(json.dumps(case, ensure_ascii=False) + "\n")
    with URL_VARIANTS.open("w", encoding="utf-8") as f:
        for line in url_variant_lines(random.Random(7)):
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    by_provider = {}
    for case in cases:
        counts = by_provider.setdefault(case["provider"], [0, 0])
        counts[0 if case["expected"] else 1] += 1
    for provider, (valid, invalid) in sorted(by_provider.items()):
        print(f"{provider}: {valid} valid, {invalid} invalid")
    print(f"{len(cases)} cases -> {ORACLE.relative_to(ROOT)}; url variants -> {URL_VARIANTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
