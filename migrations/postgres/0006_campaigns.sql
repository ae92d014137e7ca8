-- Campaigns (SPEC §12, §18). A campaign's record is its `doc`; `status` and
-- `start_at` are derived from it, for the scheduler's scan.
CREATE TABLE campaigns (
    tenant UUID NOT NULL,
    id TEXT NOT NULL,
    status TEXT NOT NULL,
    start_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    doc TEXT NOT NULL,
    CONSTRAINT campaigns_pkey PRIMARY KEY (tenant, id)
);
CREATE INDEX campaigns_running ON campaigns (created_at, id) WHERE status = 'active';

-- One row per recipient, frozen when the campaign is created, in audience
-- order (`ordinal`). No `doc`: every field is a column, so a cancellation
-- skips every pending recipient in one statement. `state` is `pending`,
-- `queued` or `skipped` (with `reason`); `message` is set once queued.
CREATE TABLE campaign_recipients (
    tenant UUID NOT NULL,
    campaign TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    contact UUID NOT NULL,
    phone TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT,
    message UUID,
    not_before BIGINT NOT NULL,
    lease_until BIGINT,
    CONSTRAINT campaign_recipients_pkey PRIMARY KEY (tenant, campaign, ordinal),
    CONSTRAINT campaign_recipients_contact_key UNIQUE (tenant, campaign, contact)
);
CREATE INDEX campaign_recipients_pending
    ON campaign_recipients (tenant, campaign, ordinal) WHERE state = 'pending';
