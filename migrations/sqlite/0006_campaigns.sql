-- Campaigns (SPEC §12, §18). A campaign's record is its `doc`; `status` and
-- `start_at` are derived from it, for the scheduler's scan.
CREATE TABLE campaigns (
    tenant BLOB NOT NULL,
    id TEXT NOT NULL,
    status TEXT NOT NULL,
    start_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL,
    CONSTRAINT campaigns_pkey PRIMARY KEY (tenant, id)
);
CREATE INDEX campaigns_running ON campaigns (created_at, id) WHERE status = 'active';

-- One row per recipient, frozen when the campaign is created, in audience
-- order (`ordinal`). No `doc`: every field is a column, so a cancellation
-- skips every pending recipient in one statement. `state` is `pending`,
-- `queued` or `skipped` (with `reason`); `message` is set once queued.
CREATE TABLE campaign_recipients (
    tenant BLOB NOT NULL,
    campaign TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    contact BLOB NOT NULL,
    phone TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT,
    message BLOB,
    not_before INTEGER NOT NULL,
    lease_until INTEGER,
    CONSTRAINT campaign_recipients_pkey PRIMARY KEY (tenant, campaign, ordinal),
    CONSTRAINT campaign_recipients_contact_key UNIQUE (tenant, campaign, contact)
);
CREATE INDEX campaign_recipients_pending
    ON campaign_recipients (tenant, campaign, ordinal) WHERE state = 'pending';
