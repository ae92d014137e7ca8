#!/usr/bin/env python3
"""The Python peer of `benches/import.rs`: the same CSV file imported into a
SQLite file doing the same work as msgcore's importer, as a Python service would
write it — csv for reading, phonenumbers to parse and validate each number
(Google's metadata, as msgcore), duplicates skipped, and for each new contact one
row with its JSON document, one row per tag (for audiences) and one event row per
tag and opt-in, 500 rows per
transaction, WAL with synchronous FULL (sqlx's default, which msgcore's SQLite
store keeps).

    python3 scripts/bench_import_peer.py /tmp/import-bench/contacts.csv /tmp/import-bench/peer.sqlite

Prints `python rows=… seconds=… rows_per_second=… db_seconds=… peak_rss_mib=…`,
db_seconds being the time spent in `sqlite3` calls.
"""

import csv
import json
import resource
import sys
import time
import uuid

import phonenumbers

from import_tables import new_database

BATCH = 500
YES = {"true", "yes", "y", "1"}


def main():
    path, database = sys.argv[1], sys.argv[2]
    db = new_database(database)
    tenant = uuid.UUID(int=7).bytes
    started = time.perf_counter()
    rows = created = invalid = duplicate = 0
    seen = set()
    contacts, events, tag_rows = [], [], []

    db_seconds = 0.0

    def flush():
        flush_started = time.perf_counter()
        db.execute("BEGIN")
        db.executemany("INSERT INTO contacts VALUES (?, ?, ?, ?, ?, ?, ?, ?)", contacts)
        db.executemany("INSERT INTO events (tenant, at, doc, contact, on_timeline) "
                       "VALUES (?, ?, ?, ?, 1)", events)
        db.executemany("INSERT INTO contact_tags VALUES (?, ?, ?, ?)", tag_rows)
        db.execute("COMMIT")
        contacts.clear()
        events.clear()
        tag_rows.clear()
        return time.perf_counter() - flush_started

    with open(path, newline="", encoding="utf-8-sig") as file:
        reader = csv.reader(file)
        next(reader)
        for phone, name, email, tags, opted_in, city in reader:
            rows += 1
            try:
                number = phonenumbers.parse(phone.strip(), "US")
                valid = phonenumbers.is_valid_number(number)
            except phonenumbers.NumberParseException:
                valid = False
            if not valid:
                invalid += 1
                continue
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            if e164 in seen:
                duplicate += 1
                continue
            seen.add(e164)
            now = time.time_ns()
            contact_id = uuid.uuid4()
            tag_list = [t.strip() for t in tags.split(",") if t.strip()]
            doc = {"id": str(contact_id), "phone": e164, "name": name.strip(),
                   "email": email.strip(), "tags": tag_list, "attributes": {"city": city.strip()},
                   "consent": [], "created_at": now, "version": 1}
            for tag in tag_list:
                tag_rows.append((tenant, contact_id.bytes, tag, now))
                events.append((tenant, now, json.dumps({"type": "tag_added", "contact": str(contact_id), "tag": tag}),
                               contact_id.bytes))
            if opted_in.strip().lower() in YES:
                doc["consent"].append({"channel": "whatsapp", "change": "opt_in", "source": "csv_import"})
                events.append((tenant, now, json.dumps({"type": "consent_changed", "contact": str(contact_id)}),
                               contact_id.bytes))
            name = name.strip()
            contacts.append((tenant, contact_id.bytes, e164, name, name.lower(), 1, now,
                             json.dumps(doc)))
            created += 1
            if len(contacts) == BATCH:
                db_seconds += flush()
    db_seconds += flush()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"python rows={rows} seconds={seconds:.2f} rows_per_second={rows / seconds:.0f} "
          f"db_seconds={db_seconds:.2f} peak_rss_mib={peak:.1f} created={created} invalid={invalid} duplicate={duplicate}")


if __name__ == "__main__":
    main()
