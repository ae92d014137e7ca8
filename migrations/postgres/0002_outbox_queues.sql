-- One recipient's messages on one channel leave in the order they were queued
-- (SPEC §18 "Order"): an outbox item is claimed only when no earlier item of its
-- queue is pending or in flight. `recipient` names the queue: the channel and
-- the number, `sms:+14155550100` (derived from the doc, like every other column).
--
-- `seq` order is commit order within a queue: every changeset writes its
-- contact's row first (a version check, or a unique phone), so two commits for
-- one recipient take turns on that row before either inserts into the outbox.
ALTER TABLE outbox ADD COLUMN recipient TEXT NOT NULL DEFAULT '';
UPDATE outbox SET recipient = (doc::json ->> 'channel') || ':' || (doc::json ->> 'to');
ALTER TABLE outbox ALTER COLUMN recipient DROP DEFAULT;
CREATE INDEX outbox_unfinished_by_recipient
    ON outbox (tenant, recipient, seq) WHERE state IN ('pending', 'in_flight');
