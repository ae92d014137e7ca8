-- msgcore's inbox, PostgreSQL. Each record is kept whole as JSON text in `doc`
-- (text, not jsonb, so it round-trips byte for byte, `\u0000` included); the
-- other columns are derived from it on every write, for what is filtered,
-- sorted, unique or joined. Instants are nanoseconds since the Unix epoch
-- (`timestamptz` keeps only microseconds). The unique constraints are what make
-- webhook handling idempotent across replicas; the store tells their violations
-- apart by these names.

CREATE TABLE tenants (
    id UUID NOT NULL PRIMARY KEY,
    slug TEXT NOT NULL,
    doc TEXT NOT NULL,
    CONSTRAINT tenants_slug_key UNIQUE (slug)
);

-- Which tenant receives on a number: each number belongs to one tenant.
CREATE TABLE tenant_numbers (
    number TEXT NOT NULL,
    tenant UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    CONSTRAINT tenant_numbers_pkey PRIMARY KEY (number)
);
CREATE INDEX tenant_numbers_by_tenant ON tenant_numbers (tenant);

CREATE TABLE contacts (
    tenant UUID NOT NULL,
    id UUID NOT NULL,
    phone TEXT NOT NULL,
    name TEXT,
    -- The name lower-cased as Rust does it, for searches.
    name_key TEXT,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    doc TEXT NOT NULL,
    CONSTRAINT contacts_pkey PRIMARY KEY (tenant, id),
    CONSTRAINT contacts_phone_key UNIQUE (tenant, phone)
);
CREATE INDEX contacts_by_name ON contacts (tenant, name COLLATE "C", phone COLLATE "C");

CREATE TABLE conversations (
    tenant UUID NOT NULL,
    id UUID NOT NULL,
    contact UUID NOT NULL,
    status TEXT NOT NULL,
    assignee TEXT,
    channel TEXT NOT NULL,
    last_activity_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    unread BIGINT NOT NULL,
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
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant UUID NOT NULL,
    id UUID NOT NULL,
    contact UUID NOT NULL,
    conversation UUID NOT NULL,
    provider TEXT,
    provider_message_id TEXT,
    client_id TEXT,
    created_at BIGINT NOT NULL,
    doc TEXT NOT NULL,
    CONSTRAINT messages_id_key UNIQUE (tenant, id),
    CONSTRAINT messages_provider_key UNIQUE (tenant, provider, provider_message_id),
    CONSTRAINT messages_client_key UNIQUE (tenant, client_id)
);
CREATE INDEX messages_by_contact ON messages (tenant, contact, seq);

CREATE TABLE outbox (
    -- Insertion order: the oldest item is claimed first.
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant UUID NOT NULL,
    message UUID NOT NULL,
    state TEXT NOT NULL,
    available_at BIGINT NOT NULL,
    lease_until BIGINT,
    attempts BIGINT NOT NULL,
    doc TEXT NOT NULL,
    CONSTRAINT outbox_message_key UNIQUE (tenant, message)
);
CREATE INDEX outbox_claimable ON outbox (seq) WHERE state IN ('pending', 'in_flight');

-- Appended under a per-tenant lock, so a reader paging by `seq` never skips an
-- event that commits late with a smaller number.
CREATE TABLE events (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant UUID NOT NULL,
    at BIGINT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX events_by_tenant ON events (tenant, seq);

-- The shared GCRA state per key, as `GcraState` JSON (nanosecond precision).
CREATE TABLE rate_limits (
    key TEXT NOT NULL PRIMARY KEY,
    state TEXT NOT NULL
);
