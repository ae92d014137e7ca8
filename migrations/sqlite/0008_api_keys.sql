-- API keys (SPEC §16): a key's SHA-256 hash, never its secret. `doc` holds
-- what never changes once the key is made (name, hash, scopes, expiry);
-- `revoked_at` and `last_used_at` are columns of their own so that a use and
-- a revocation racing each other each write only theirs, and a use never
-- undoes a revocation. Times are nanoseconds since the epoch.
CREATE TABLE api_keys (
    id BLOB NOT NULL,
    tenant BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER,
    last_used_at INTEGER,
    doc TEXT NOT NULL,
    CONSTRAINT api_keys_pkey PRIMARY KEY (id)
);
CREATE INDEX api_keys_by_tenant ON api_keys (tenant, created_at, id);
