-- Outgoing webhook endpoints (SPEC §18). `doc` is the whole record, the
-- signing secret included (deliveries are signed with it); `due_at` (NULL
-- while disabled) and `after_seq` (the last event settled) are copies of the
-- document's delivery state that the claim query chooses endpoints by.
-- Times are nanoseconds since the epoch.
CREATE TABLE webhook_endpoints (
    id BLOB NOT NULL,
    tenant BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    due_at INTEGER,
    after_seq INTEGER NOT NULL,
    doc TEXT NOT NULL,
    CONSTRAINT webhook_endpoints_pkey PRIMARY KEY (id)
);
CREATE INDEX webhook_endpoints_by_tenant ON webhook_endpoints (tenant, created_at, id);
CREATE INDEX webhook_endpoints_due ON webhook_endpoints (due_at) WHERE due_at IS NOT NULL;
