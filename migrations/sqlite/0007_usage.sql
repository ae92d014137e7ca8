-- Usage (SPEC §16): one row per billed message, written in the same
-- transaction as the status that first says it was sent, so a message is
-- counted once whichever path reports it. `category` and `charged_units`
-- change when the provider's pricing says what the message is; `at` keeps
-- the earliest send. Usage is added up by SQL: every field is a column.
CREATE TABLE usage_records (
    tenant BLOB NOT NULL,
    message BLOB NOT NULL,
    at INTEGER NOT NULL,
    channel TEXT NOT NULL,
    country TEXT,
    category TEXT,
    segments INTEGER NOT NULL,
    charged_units INTEGER NOT NULL,
    CONSTRAINT usage_records_pkey PRIMARY KEY (tenant, message)
);
CREATE INDEX usage_records_by_time ON usage_records (tenant, at);
