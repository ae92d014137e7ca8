-- One call log per (tenant, provider, call, status): a retried call status
-- callback is refused by the key, whatever the number of writers, instead of
-- being looked for among the tenant's events. Logs already kept as events are
-- entered first, so their callbacks stay deduplicated.
CREATE TABLE call_logs (
    tenant BLOB NOT NULL,
    provider TEXT NOT NULL,
    call TEXT NOT NULL,
    status TEXT NOT NULL,
    CONSTRAINT call_logs_pkey PRIMARY KEY (tenant, provider, call, status)
);
INSERT OR IGNORE INTO call_logs (tenant, provider, call, status)
    SELECT tenant, json_extract(doc, '$.event.provider'), json_extract(doc, '$.event.call'),
           json_extract(doc, '$.event.status')
    FROM events WHERE json_extract(doc, '$.event.type') = 'call_logged';
