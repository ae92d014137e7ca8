-- One call log per (tenant, provider, call, status): a retried call status
-- callback is refused by the key, whatever the number of replicas, instead of
-- being looked for among the tenant's events. Logs already kept as events are
-- entered first, so their callbacks stay deduplicated.
CREATE TABLE call_logs (
    tenant UUID NOT NULL,
    provider TEXT NOT NULL,
    call TEXT NOT NULL,
    status TEXT NOT NULL,
    CONSTRAINT call_logs_pkey PRIMARY KEY (tenant, provider, call, status)
);
INSERT INTO call_logs (tenant, provider, call, status)
    SELECT tenant, doc::json #>> '{event,provider}', doc::json #>> '{event,call}',
           doc::json #>> '{event,status}'
    -- A log with an escaped NUL (`\u0000`) cannot be read as text here; none is
    -- expected from a provider, and skipping one costs only its deduplication.
    FROM events WHERE doc NOT LIKE '%\u0000%' AND doc::json #>> '{event,type}' = 'call_logged'
    ON CONFLICT DO NOTHING;
