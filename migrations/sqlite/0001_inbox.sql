-- msgcore's inbox, SQLite. Each record is kept whole as JSON in `doc`; the other
-- columns are derived from it on every write, for what is filtered, sorted,
-- unique or joined. Instants are nanoseconds since the Unix epoch. Constraint
-- names match the PostgreSQL schema.

CREATE TABLE tenants (
    id BLOB NOT NULL PRIMARY KEY,
    slug TEXT NOT NULL,
    doc TEXT NOT NULL,
    CONSTRAINT tenants_slug_key UNIQUE (slug)
);

-- Which tenant receives on a number: each number belongs to one tenant.
CREATE TABLE tenant_numbers (
    number TEXT NOT NULL,
    tenant BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    CONSTRAINT tenant_numbers_pkey PRIMARY KEY (number)
);
CREATE INDEX tenant_numbers_by_tenant ON tenant_numbers (tenant);

CREATE TABLE contacts (
    tenant BLOB NOT NULL,
    id BLOB NOT NULL,
    phone TEXT NOT NULL,
    name TEXT,
    -- The name lower-cased as Rust does it, for searches.
    name_key TEXT,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    doc TEXT NOT NULL,
    CONSTRAINT contacts_pkey PRIMARY KEY (tenant, id),
    CONSTRAINT contacts_phone_key UNIQUE (tenant, phone)
);
CREATE INDEX contacts_by_name ON contacts (tenant, name, phone);

CREATE TABLE conversations (
    tenant BLOB NOT NULL,
    id BLOB NOT NULL,
    contact BLOB NOT NULL,
    status TEXT NOT NULL,
    assignee TEXT,
    channel TEXT NOT NULL,
    last_activity_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    unread INTEGER NOT NULL,
    starred BOOLEAN NOT NULL,
    archived BOOLEAN NOT NULL,
    deleted BOOLEAN NOT NULL,
    doc TEXT NOT NULL,
    CONSTRAINT conversations_pkey PRIMARY KEY (tenant, id)
);
CREATE INDEX conversations_by_activity
    ON conversations (tenant, last_activity_at DESC, id DESC);
CREATE INDEX conversations_by_contact
    ON conversations (tenant, contact, created_at DESC, id DESC);

CREATE TABLE messages (
    -- Insertion order, for timelines.
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant BLOB NOT NULL,
    id BLOB NOT NULL,
    contact BLOB NOT NULL,
    conversation BLOB NOT NULL,
    provider TEXT,
    provider_message_id TEXT,
    client_id TEXT,
    created_at INTEGER NOT NULL,
    doc TEXT NOT NULL,
    CONSTRAINT messages_id_key UNIQUE (tenant, id),
    CONSTRAINT messages_provider_key UNIQUE (tenant, provider, provider_message_id),
    CONSTRAINT messages_client_key UNIQUE (tenant, client_id)
);
CREATE INDEX messages_by_contact ON messages (tenant, contact, seq);

CREATE TABLE outbox (
    -- Insertion order: the oldest item is claimed first.
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant BLOB NOT NULL,
    message BLOB NOT NULL,
    state TEXT NOT NULL,
    available_at INTEGER NOT NULL,
    lease_until INTEGER,
    attempts INTEGER NOT NULL,
    doc TEXT NOT NULL,
    CONSTRAINT outbox_message_key UNIQUE (tenant, message)
);
CREATE INDEX outbox_claimable ON outbox (seq) WHERE state IN ('pending', 'in_flight');

CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant BLOB NOT NULL,
    at INTEGER NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX events_by_tenant ON events (tenant, seq);

-- The shared GCRA state per key, as `GcraState` JSON (nanosecond precision).
CREATE TABLE rate_limits (
    key TEXT NOT NULL PRIMARY KEY,
    state TEXT NOT NULL
);
