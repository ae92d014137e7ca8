#!/usr/bin/env python3
"""CSV import reference: SPEC §18's import report for messy files, computed with
Python's own csv module and Google's libphonenumber metadata (`phonenumbers`),
so msgcore's reader (the Rust csv crate) and its column rules are checked
against an independent implementation of the same text.

Each case imports into a fresh, empty inbox, as `msgctl import` does. Produces
tests/fixtures/import_cases.jsonl (one {"input", "expected"} per line), read by
tests/msgctl.rs. Deterministic. Run from the crate root with Python 3.11 and
`pip install phonenumbers`:

    python3 scripts/import_reference.py > tests/fixtures/import_cases.jsonl

Where SPEC §18 is silent, this follows msgcore's documented choices: a second
column for a field already taken becomes an attribute named by its header; a
column with an empty header is ignored; a mapping naming a missing header, or a
file without a phone column, is an error.
"""

import csv
import io
import json
import random

import phonenumbers

# Unicode White_Space, which Rust's str::trim and char::is_whitespace use;
# Python's str.strip also strips U+001C..U+001F.
WHITE_SPACE = set(
    "\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
)

SYNONYMS = {
    "phone": ["phone", "phone number", "mobile", "mobile number", "cell", "cellphone",
              "number", "msisdn", "whatsapp"],
    "name": ["name", "full name"],
    "first_name": ["first name", "firstname", "given name"],
    "last_name": ["last name", "lastname", "surname", "family name"],
    "email": ["email", "e-mail", "email address"],
    "tags": ["tags", "tag", "labels"],
    "company": ["company", "company name", "organization", "business"],
    "whatsapp_opted_in": ["optedIn", "opted in", "opt in", "whatsapp opted in"],
    "sms_opted_in": ["smsOptedIn", "sms opted in", "sms opt in"],
}
YES = {"true", "yes", "y", "1"}


def trim(text):
    start, end = 0, len(text)
    while start < end and text[start] in WHITE_SPACE:
        start += 1
    while end > start and text[end - 1] in WHITE_SPACE:
        end -= 1
    return text[start:end]


def key(header):
    return "".join(c for c in header if c not in WHITE_SPACE and c not in "_-").casefold()


SYNONYM_OF = {key(s): field for field, names in SYNONYMS.items() for s in names}


def columns(header, mappings):
    explicit = {key(h): f for h, f in mappings.items()}
    matched, used, fields = set(), [], []
    for cell in header:
        k = key(cell)
        if k in explicit:
            matched.add(k)
            wanted = explicit[k]
        else:
            wanted = SYNONYM_OF.get(k) or attribute(cell)
        if wanted == "ignore" or wanted.startswith("attributes."):
            fields.append(wanted)
        elif wanted in used:
            fields.append(attribute(cell))
        else:
            used.append(wanted)
            fields.append(wanted)
    for h in mappings:
        if key(h) not in matched:
            return None, f"the mapping names the header {h!r}, which the file does not have"
    if "phone" not in used:
        return None, "no phone column"
    return fields, None


def attribute(header):
    name = trim(header)
    return f"attributes.{name}" if name else "ignore"


def e164(cell, region):
    try:
        number = phonenumbers.parse(cell, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def records(text):
    """(start line, cells) per record, skipping lines with nothing on them."""
    if text.startswith("\ufeff"):
        text = text[1:]
    first_line = text.split("\n", 1)[0]
    delimiter = next((c for c in first_line if c in ",;\t"), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    previous_end = 0
    for row in reader:
        start = previous_end + 1
        previous_end = reader.line_num
        if len(row) <= 1 and all(trim(c) == "" for c in row):
            continue
        if row and row[-1].endswith("\r"):
            row[-1] = row[-1][:-1]
        yield start, row


def import_report(text, region=None, mappings=None):
    rows = records(text)
    header = next(rows, None)
    if header is None:
        return {"error": "empty"}
    fields, error = columns(header[1], mappings or {})
    if error:
        return {"error": error}
    report = {"rows": 0, "created": 0, "updated": 0, "opted_in": 0, "opt_in_refused": 0,
              "skipped": {"missing_phone": 0, "invalid_phone": 0, "duplicate": 0},
              "errors": []}
    seen = set()

    def skip(line, reason, value):
        report["skipped"][reason] += 1
        report["errors"].append({"line": line, "reason": reason, "value": value})

    for line, cells in rows:
        report["rows"] += 1
        values = {}
        for field, cell in zip(fields, cells):
            cell = trim(cell)
            if cell:
                values[field] = cell
        phone = values.get("phone", "")
        if not phone:
            skip(line, "missing_phone", "")
            continue
        number = e164(phone, region)
        if number is None:
            skip(line, "invalid_phone", phone)
            continue
        if number in seen:
            skip(line, "duplicate", phone)
            continue
        seen.add(number)
        report["created"] += 1
        opted = [values.get(f, "").lower() in YES for f in ("whatsapp_opted_in", "sms_opted_in")]
        report["opted_in"] += any(opted)
    return report


CASES = [
    ("phone,name,email,tags,optedIn\n"
     "+919876543210,John Doe,john@example.com,\"vip,retail\",true\n"
     "+12125551234,Jane Smith,,lead,false\n", None, None),
    ("\ufeffMobile Number;First Name;Last Name;Company\r\n"
     "(415) 555-0101;Ada;Lovelace;Engines\r\n;;;\r\n\r\n415.555.0102;Grace;;Navy\r\n", "US", None),
    ("phone,note\n+14155550101,\"two\nlines\"\n\n\n+1 415 555 0101,dup\n12345,bad\n,\n", "US", None),
    ("Phone\tName\tOpt In\tSMS Opt In\n4155550101\tTab\tYES\tno\n4155550103\tT2\tn\ty\n", "US", None),
    ("name,email\nAda,ada@example.com\n", "US", None),
    ("Tel,Firma\n4155550101,Acme\n", "US", {"tel": "phone", "FIRMA": "company"}),
    ("Tel,Firma\n4155550101,Acme\n", "US", {"Telefon": "phone"}),
    ("phone,name,extra\n4155550101\n4155550102,a,b,c,d\n   \n", "US", None),
    ("Phone,Mobile,Name\n4155550101,4155550109,x\n,4155550108,y\n", "US", None),
    ("phone\n00 44 20 7946 0958\ntel:+1-415-555-0104\n+44 (0)20 7946 0958\n020 7946 0959\n", "GB", None),
    ("phone\n4155550101\n", None, None),
    ("WhatsApp,Full Name\n\"+55 11 91234-5678\",\"Silva, João\"\n+5511912345678,again\n", None, None),
]


def random_cases(rng, count):
    pieces = ["4155550101", "+1 415 555 0102", "(415) 555-0103", "555-01", "", " ",
              "+447946095800", "07946 095800", "abc", "+14155550101", "00 1 415 555 0105"]
    others = ["Ada", "", "  ", "x,y", "a\"b", "line\nbreak", "true", "yes", "0", "vip, new"]
    for _ in range(count):
        header = ["phone", rng.choice(["name", "first name", "tags", "optedIn", "City"]),
                  rng.choice(["email", "smsOptedIn", "labels", "Note"])]
        delimiter = rng.choice([",", ";", "\t"])
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator=rng.choice(["\n", "\r\n"]))
        writer.writerow(header)
        for _ in range(rng.randrange(0, 8)):
            row = [rng.choice(pieces), rng.choice(others), rng.choice(others)]
            writer.writerow(row[: rng.randrange(1, 4)])
        text = out.getvalue()
        if rng.random() < 0.3:
            text = "\ufeff" + text
        yield text, rng.choice(["US", "GB", None]), None


def main():
    rng = random.Random(18)
    for text, region, mappings in CASES + list(random_cases(rng, 60)):
        case = {"csv": text}
        if region:
            case["default_region"] = region
        if mappings:
            case["mappings"] = mappings
        print(json.dumps({"input": case, "expected": import_report(text, region, mappings)},
                         ensure_ascii=False))


if __name__ == "__main__":
    main()
