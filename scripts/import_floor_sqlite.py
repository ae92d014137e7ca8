#!/usr/bin/env python3
"""The floor under `benches/import.rs`: the rows msgcore's importer wrote,
inserted again into a new SQLite file by Python's sqlite3, timing only the
database calls. No CSV, no number parsing, no JSON encoding: what SQLite and
the disk take for exactly these rows, for `scripts/bench_import_peer.sh` to
print beside msgcore's rate (msgcore can only approach it).

    python3 scripts/import_floor_sqlite.py MSGCORE_DATABASE [VARIANT]

MSGCORE_DATABASE is the file the bench imported into; its contacts, tag rows
and events are read into memory first (untimed). They are written as msgcore
writes them: msgcore's schema for these tables (migrations 1, 4 and 5), 500
contacts with their tag rows and events per transaction, multi-row INSERTs
of 64, 16, 4 and 1 rows, WAL, synchronous FULL.

VARIANT measures what a change of schema would be worth: `full` (default,
what msgcore writes today), `one-event` (each contact's first event only,
as one event per imported contact would be), `no-events`, `no-tags`.

Prints `floor variant=… contacts=… seconds=… contacts_per_second=…`.
"""
import collections
import os
import sqlite3
import sys
import time

from import_tables import new_database

PER_TRANSACTION = 500
# Each variant's events kept per contact (None: all of them).
VARIANTS = {"full": None, "one-event": 1, "no-events": 0, "no-tags": None}
SHAPES = (64, 16, 4, 1)
CONTACT_COLUMNS = ("tenant", "id", "phone", "name", "name_key", "version", "created_at", "doc")
TAG_COLUMNS = ("tenant", "contact", "tag", "created_at")
EVENT_COLUMNS = ("tenant", "at", "doc", "contact", "on_timeline")


def read_rows(source):
    """msgcore's rows: contacts in insertion order, tag rows and events by contact."""
    db = sqlite3.connect(source)
    contacts = db.execute(
        f"SELECT {', '.join(CONTACT_COLUMNS)} FROM contacts ORDER BY rowid").fetchall()
    tags = collections.defaultdict(list)
    for row in db.execute(f"SELECT {', '.join(TAG_COLUMNS)} FROM contact_tags ORDER BY rowid"):
        tags[row[1]].append(row)
    events = collections.defaultdict(list)
    for row in db.execute(f"SELECT {', '.join(EVENT_COLUMNS)} FROM events ORDER BY seq"):
        events[row[3]].append(row)
    return contacts, tags, events


def insert(db, table, columns, rows):
    """The rows in as few statements of the shapes as fit, as msgcore's `write_rows`."""
    done = 0
    while done < len(rows):
        size = next(shape for shape in SHAPES if len(rows) - done >= shape)
        row = "(" + ", ".join("?" * len(columns)) + ")"
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([row] * size)}"
        db.execute(sql, [value for r in rows[done:done + size] for value in r])
        done += size


def main():
    source = sys.argv[1]
    variant = sys.argv[2] if len(sys.argv) > 2 else "full"
    if variant not in VARIANTS:
        sys.exit(f"unknown variant {variant!r}: one of {', '.join(VARIANTS)}")
    contacts, tags, events = read_rows(source)
    target = os.path.join(os.path.dirname(os.path.abspath(source)), "floor.sqlite")
    db = new_database(target)
    spent = 0.0
    for first in range(0, len(contacts), PER_TRANSACTION):
        batch = contacts[first:first + PER_TRANSACTION]
        tag_rows = [] if variant == "no-tags" else [t for c in batch for t in tags[c[1]]]
        kept = VARIANTS[variant]
        event_rows = [e for c in batch for e in events[c[1]][:kept]]
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        insert(db, "contacts", CONTACT_COLUMNS, batch)
        insert(db, "contact_tags", TAG_COLUMNS, tag_rows)
        insert(db, "events", EVENT_COLUMNS, event_rows)
        db.execute("COMMIT")
        spent += time.perf_counter() - started
    print(f"floor variant={variant} contacts={len(contacts)} seconds={spent:.2f} "
          f"contacts_per_second={len(contacts) / spent:.0f}")


if __name__ == "__main__":
    main()
