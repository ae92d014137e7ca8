-- get_analytics (SPEC §19) adds up a time range of a tenant's conversations,
-- messages and events: these indexes let it read that range instead of the
-- tenant's whole history. The conversations' index is partial so that no
-- other statement takes it: it would find a contact's latest conversation by
-- walking the tenant's conversations newest first.
CREATE INDEX conversations_by_creation ON conversations (tenant, created_at) WHERE NOT deleted;
CREATE INDEX messages_by_time ON messages (tenant, created_at);
CREATE INDEX events_by_time ON events (tenant, at);
