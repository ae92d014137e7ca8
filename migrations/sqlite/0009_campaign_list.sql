-- A tenant's campaigns, newest first (`GET /campaigns`), without reading the
-- tenant's other campaigns.
CREATE INDEX campaigns_by_tenant ON campaigns (tenant, created_at, id);
