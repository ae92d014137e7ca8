"""The raw rate of an inbound message's writes on a SQLite file, batched: what
the disk and SQLite allow, with no msgcore, for scripts/load_server.sh to print
next to the example server's rate on the same disk.

    python3 scripts/ingest_limit_sqlite.py DATABASE [COUNT] [PER_TRANSACTION]

DATABASE is a copy of a database the example server filled (its tenant,
contacts and conversations are reused, and its documents give the sizes).
Per message, as the server writes it: the contact and its conversation
updated, the message and two events inserted (the server's average is 2.1
events a message). WAL, synchronous FULL, PER_TRANSACTION messages (default
64) per transaction, Python's sqlite3 in process.
"""
import sqlite3
import sys
import time
import uuid


def main():
    database = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    per_transaction = int(sys.argv[3]) if len(sys.argv) > 3 else 64
    con = sqlite3.connect(database, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    (tenant,) = con.execute("SELECT id FROM tenants LIMIT 1").fetchone()
    pairs = con.execute(
        "SELECT contact, id FROM conversations WHERE tenant = ?", (tenant,)
    ).fetchall()
    (contact_doc,) = con.execute("SELECT doc FROM contacts LIMIT 1").fetchone()
    (conversation_doc,) = con.execute("SELECT doc FROM conversations LIMIT 1").fetchone()
    (message_doc,) = con.execute(
        "SELECT doc FROM messages WHERE provider_message_id LIKE 'SM%' LIMIT 1"
    ).fetchone()
    event_docs = [d for (d,) in con.execute("SELECT doc FROM events ORDER BY seq DESC LIMIT 2")]
    started = time.perf_counter()
    for first in range(0, count, per_transaction):
        con.execute("BEGIN IMMEDIATE")
        for n in range(first, min(first + per_transaction, count)):
            contact, conversation = pairs[n % len(pairs)]
            con.execute(
                "UPDATE contacts SET version = version + 1, doc = ? WHERE tenant = ? AND id = ?",
                (contact_doc, tenant, contact),
            )
            con.execute(
                "UPDATE conversations SET last_activity_at = ?, doc = ? WHERE tenant = ? AND id = ?",
                (n, conversation_doc, tenant, conversation),
            )
            con.execute(
                "INSERT INTO messages (tenant, id, contact, conversation, provider, "
                "provider_message_id, client_id, created_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (tenant, uuid.uuid4().bytes, contact, conversation, "twilio",
                 f"SMlimit{uuid.uuid4().hex}", None, n, message_doc),
            )
            for doc in event_docs:
                con.execute(
                    "INSERT INTO events (tenant, at, doc, contact, on_timeline) VALUES (?, ?, ?, ?, 0)",
                    (tenant, n, doc, contact),
                )
        con.execute("COMMIT")
    seconds = time.perf_counter() - started
    print(
        f"sqlite_limit messages={count} per_transaction={per_transaction} "
        f"seconds={seconds:.2f} messages_per_second={count / seconds:.0f}"
    )


if __name__ == "__main__":
    main()
