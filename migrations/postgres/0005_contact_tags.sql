-- Audiences (SPEC §12, §18): a campaign takes the contacts with any of some tags
-- in creation order. Each tag of a contact is a row, so a tag's contacts are an
-- index range, and contacts are indexed in creation order. Tags already kept
-- are read from the contacts' documents.
CREATE TABLE contact_tags (
    tenant UUID NOT NULL,
    contact UUID NOT NULL,
    tag TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT contact_tags_pkey PRIMARY KEY (tenant, contact, tag)
);
CREATE INDEX contact_tags_by_tag ON contact_tags (tenant, tag, created_at, contact);
CREATE INDEX contacts_by_creation ON contacts (tenant, created_at, id);
INSERT INTO contact_tags (tenant, contact, tag, created_at)
    SELECT c.tenant, c.id, t.tag, c.created_at
    FROM contacts c, json_array_elements_text(c.doc::json -> 'tags') AS t(tag)
    -- A document with an escaped NUL (`\u0000`) cannot be read as text here; its
    -- tags are written again with its next change.
    WHERE c.doc NOT LIKE '%\u0000%'
    ON CONFLICT DO NOTHING;
