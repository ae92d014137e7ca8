-- A contact's timeline (SPEC §1): every event names the contact whose change set
-- wrote it, and says whether it is an audit event the timeline shows (consent,
-- tags, conversations opened and changed, CSAT, possible revocations, calls),
-- so the timeline is one index range instead of a scan of the tenant's events.
-- Events already kept name their contact directly, or through their
-- conversation or message.
ALTER TABLE events ADD COLUMN contact BLOB;
ALTER TABLE events ADD COLUMN on_timeline INTEGER NOT NULL DEFAULT 0;
UPDATE events SET
    contact = COALESCE(
        unhex(replace(json_extract(doc, '$.event.contact'), '-', '')),
        (SELECT c.contact FROM conversations c WHERE c.tenant = events.tenant
            AND c.id = unhex(replace(json_extract(events.doc, '$.event.conversation'), '-', ''))),
        (SELECT m.contact FROM messages m WHERE m.tenant = events.tenant
            AND m.id = unhex(replace(json_extract(events.doc, '$.event.message'), '-', '')))
    ),
    on_timeline = json_extract(doc, '$.event.type') IN ('consent_changed', 'tag_added',
        'tag_removed', 'conversation_opened', 'conversation_status', 'csat_recorded',
        'possible_revocation', 'call_logged');
CREATE INDEX events_on_timeline ON events (tenant, contact, seq) WHERE on_timeline;
