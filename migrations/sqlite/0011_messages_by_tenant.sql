-- `GET /messages` lists a tenant's newest messages across its conversations.
CREATE INDEX messages_by_tenant ON messages (tenant, seq);
