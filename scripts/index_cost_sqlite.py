#!/usr/bin/env python3
"""What one more index on `messages` costs SQLite per insert: the
`messages` table of migrations/sqlite/0001_inbox.sql with its indexes as of
migration 10, and the same with migration 11's `messages_by_tenant`, filled
in alternating batches (so that whatever else the machine does falls on
both alike), in memory (the index's CPU cost, which a durable commit's
fsync otherwise hides).

    python3 scripts/index_cost_sqlite.py [ROWS]
"""
import os
import sqlite3
import sys
import time
import uuid

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
BATCH = 1_000
TENANTS = [uuid.uuid4().bytes for _ in range(10)]
DOC = "x" * 600  # about a stored message document's size

SCHEMA = """
CREATE TABLE messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant BLOB NOT NULL, id BLOB NOT NULL, contact BLOB NOT NULL,
    conversation BLOB NOT NULL, provider TEXT, provider_message_id TEXT,
    client_id TEXT, created_at INTEGER NOT NULL, doc TEXT NOT NULL,
    UNIQUE (tenant, id), UNIQUE (tenant, provider, provider_message_id),
    UNIQUE (tenant, client_id));
CREATE INDEX messages_by_contact ON messages (tenant, contact, seq);
"""
EXTRA = "CREATE INDEX messages_by_tenant ON messages (tenant, seq);"


def database(extra):
    db = sqlite3.connect(":memory:")
    db.executescript(SCHEMA + (EXTRA if extra else ""))
    return db


def batch(n):
    return [
        (TENANTS[i % len(TENANTS)], uuid.uuid4().bytes, os.urandom(16), os.urandom(16),
         "twilio", f"SM{uuid.uuid4().hex}", None, i, DOC)
        for i in range(n)
    ]


def insert(db, rows):
    start = time.perf_counter()
    with db:
        db.executemany(
            "INSERT INTO messages (tenant, id, contact, conversation, provider,"
            " provider_message_id, client_id, created_at, doc)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return time.perf_counter() - start


def main():
    without, with_index = database(False), database(True)
    spent = {False: 0.0, True: 0.0}
    for _ in range(ROWS // BATCH):
        rows = batch(BATCH)
        spent[False] += insert(without, rows)
        spent[True] += insert(with_index, rows)
    per_row = {k: v / ROWS * 1e6 for k, v in spent.items()}
    print(f"{ROWS} rows in batches of {BATCH}, alternating")
    print(f"without messages_by_tenant: {per_row[False]:.2f} us/row")
    print(f"with messages_by_tenant:    {per_row[True]:.2f} us/row")
    print(f"cost of the index:          {per_row[True] - per_row[False]:.2f} us/row "
          f"({per_row[True] / per_row[False] - 1:+.1%})")


main()
