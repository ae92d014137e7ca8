-- Audiences (SPEC §12, §18): a campaign takes the contacts with any of some tags
-- in creation order. Each tag of a contact is a row, so a tag's contacts are an
-- index range, and contacts are indexed in creation order. Tags already kept
-- are read from the contacts' documents.
CREATE TABLE contact_tags (
    tenant BLOB NOT NULL,
    contact BLOB NOT NULL,
    tag TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CONSTRAINT contact_tags_pkey PRIMARY KEY (tenant, contact, tag)
);
CREATE INDEX contact_tags_by_tag ON contact_tags (tenant, tag, created_at, contact);
CREATE INDEX contacts_by_creation ON contacts (tenant, created_at, id);
INSERT OR IGNORE INTO contact_tags (tenant, contact, tag, created_at)
    SELECT c.tenant, c.id, t.value, c.created_at FROM contacts c, json_each(c.doc, '$.tags') t;
