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

Prints `python rows=… seconds=… rows_per_second=… peak_rss_mib=…`.
"""

import csv
import json
import os
import resource
import sqlite3
import sys
import time
import uuid

import phonenumbers

BATCH = 500
YES = {"true", "yes", "y", "1"}


def main():
    path, database = sys.argv[1], sys.argv[2]
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(database + suffix):
            os.remove(database + suffix)
    db = sqlite3.connect(database, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    # msgcore's own SQLite schema for these two tables (migrations/sqlite/0001_inbox.sql).
    db.execute("CREATE TABLE contacts (tenant BLOB NOT NULL, id BLOB NOT NULL, phone TEXT NOT NULL, "
               "name TEXT, name_key TEXT, version INTEGER NOT NULL, created_at INTEGER NOT NULL, "
               "doc TEXT NOT NULL, PRIMARY KEY (tenant, id), UNIQUE (tenant, phone))")
    db.execute("CREATE INDEX contacts_by_name ON contacts (tenant, name, phone)")
    db.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, tenant BLOB NOT NULL, "
               "at INTEGER NOT NULL, doc TEXT NOT NULL)")
    db.execute("CREATE INDEX events_by_tenant ON events (tenant, seq)")
    db.execute("CREATE TABLE contact_tags (tenant BLOB NOT NULL, contact BLOB NOT NULL, "
               "tag TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (tenant, contact, tag))")
    db.execute("CREATE INDEX contact_tags_by_tag ON contact_tags (tenant, tag, created_at, contact)")
    db.execute("CREATE INDEX contacts_by_creation ON contacts (tenant, created_at, id)")
    tenant = uuid.UUID(int=7).bytes
    started = time.perf_counter()
    rows = created = invalid = duplicate = 0
    seen = set()
    contacts, events, tag_rows = [], [], []

    def flush():
        db.execute("BEGIN")
        db.executemany("INSERT INTO contacts VALUES (?, ?, ?, ?, ?, ?, ?, ?)", contacts)
        db.executemany("INSERT INTO events (tenant, at, doc) VALUES (?, ?, ?)", events)
        db.executemany("INSERT INTO contact_tags VALUES (?, ?, ?, ?)", tag_rows)
        db.execute("COMMIT")
        contacts.clear()
        events.clear()
        tag_rows.clear()

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
                events.append((tenant, now, json.dumps({"type": "tag_added", "contact": str(contact_id), "tag": tag})))
            if opted_in.strip().lower() in YES:
                doc["consent"].append({"channel": "whatsapp", "change": "opt_in", "source": "csv_import"})
                events.append((tenant, now, json.dumps({"type": "consent_changed", "contact": str(contact_id)})))
            name = name.strip()
            contacts.append((tenant, contact_id.bytes, e164, name, name.lower(), 1, now,
                             json.dumps(doc)))
            created += 1
            if len(contacts) == BATCH:
                flush()
    flush()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"python rows={rows} seconds={seconds:.2f} rows_per_second={rows / seconds:.0f} "
          f"peak_rss_mib={peak:.1f} created={created} invalid={invalid} duplicate={duplicate}")


if __name__ == "__main__":
    main()
