"""msgcore's SQLite tables that a CSV import writes (migrations/sqlite/0001,
0004 and 0005: contacts, events with their timeline columns, contact_tags),
for the scripts that measure an import beside msgcore's
(`bench_import_peer.py`, `import_floor_sqlite.py`)."""
import os
import sqlite3

SCHEMA = """
CREATE TABLE contacts (tenant BLOB NOT NULL, id BLOB NOT NULL, phone TEXT NOT NULL,
    name TEXT, name_key TEXT, version INTEGER NOT NULL, created_at INTEGER NOT NULL,
    doc TEXT NOT NULL, CONSTRAINT contacts_pkey PRIMARY KEY (tenant, id),
    CONSTRAINT contacts_phone_key UNIQUE (tenant, phone));
CREATE INDEX contacts_by_name ON contacts (tenant, name, phone);
CREATE INDEX contacts_by_creation ON contacts (tenant, created_at, id);
CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, tenant BLOB NOT NULL,
    at INTEGER NOT NULL, doc TEXT NOT NULL, contact BLOB,
    on_timeline INTEGER NOT NULL DEFAULT 0);
CREATE INDEX events_by_tenant ON events (tenant, seq);
CREATE INDEX events_on_timeline ON events (tenant, contact, seq) WHERE on_timeline;
CREATE TABLE contact_tags (tenant BLOB NOT NULL, contact BLOB NOT NULL, tag TEXT NOT NULL,
    created_at INTEGER NOT NULL, CONSTRAINT contact_tags_pkey PRIMARY KEY (tenant, contact, tag));
CREATE INDEX contact_tags_by_tag ON contact_tags (tenant, tag, created_at, contact);
"""


def new_database(path):
    """A new file at `path` (an old one and its WAL removed) with the tables, in
    WAL mode with synchronous FULL, as msgcore's SQLite store opens it; the
    connection is in autocommit mode, so callers BEGIN and COMMIT themselves."""
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.executescript(SCHEMA)
    return db
