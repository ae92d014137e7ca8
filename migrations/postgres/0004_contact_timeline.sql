-- A contact's timeline (SPEC §1): every event names the contact whose change set
-- wrote it, and says whether it is an audit event the timeline shows (consent,
-- tags, conversations opened and changed, CSAT, possible revocations, calls),
-- so the timeline is one index range instead of a scan of the tenant's events.
-- Events already kept name their contact directly, or through their
-- conversation or message.
ALTER TABLE events ADD COLUMN contact UUID;
ALTER TABLE events ADD COLUMN on_timeline BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE events SET
    contact = COALESCE(
        (doc::json #>> '{event,contact}')::uuid,
        (SELECT c.contact FROM conversations c WHERE c.tenant = events.tenant
            AND c.id = (events.doc::json #>> '{event,conversation}')::uuid),
        (SELECT m.contact FROM messages m WHERE m.tenant = events.tenant
            AND m.id = (events.doc::json #>> '{event,message}')::uuid)
    ),
    on_timeline = (doc::json #>> '{event,type}') IN ('consent_changed', 'tag_added',
        'tag_removed', 'conversation_opened', 'conversation_status', 'csat_recorded',
        'possible_revocation', 'call_logged')
    -- An event with an escaped NUL (`\u0000`) cannot be read as text here; it
    -- stays off the timeline (it is still in the tenant's event stream).
    WHERE doc NOT LIKE '%\u0000%';
CREATE INDEX events_on_timeline ON events (tenant, contact, seq) WHERE on_timeline;
