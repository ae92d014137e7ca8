#!/bin/sh
# The raw rate of an inbound message's writes on PostgreSQL: pgbench running
# the same writes as the example server, one message per transaction, over
# CONNECTIONS clients, for scripts/load_server.sh to print next to the
# server's rate on the same database.
#
#     sh scripts/ingest_limit_pgbench.sh DATABASE_URL [CONNECTIONS] [SECONDS]
#
# DATABASE_URL is a database the example server filled: its tenant, contacts
# and conversations are reused, and its documents give the sizes. Per
# message: the contact and its conversation updated, the message and two
# events inserted.
set -eu
url="$1"
connections="${2:-64}"
seconds="${3:-10}"
script="$(mktemp)"
trap 'rm -f "$script"' EXIT
sample() { psql -tA "$url" -c "$1"; }
quoted() { sample "SELECT quote_literal(doc) FROM $1 LIMIT 1"; }
tenant="$(sample "SELECT quote_literal(id) FROM tenants LIMIT 1")"
PGOPTIONS="-c client_min_messages=warning" psql -q "$url" -c "DROP TABLE IF EXISTS limit_pairs" \
    -c "CREATE TABLE limit_pairs AS SELECT (row_number() OVER ()) - 1 AS n, contact, id \
        FROM conversations WHERE tenant = $tenant" \
    -c "ALTER TABLE limit_pairs ADD PRIMARY KEY (n)"
pairs="$(sample "SELECT count(*) FROM limit_pairs")"
event="$(sample "SELECT quote_literal(doc) FROM events ORDER BY seq DESC LIMIT 1")"
cat >"$script" <<SQL
\\set n random(0, $pairs - 1)
BEGIN;
UPDATE contacts SET version = version + 1, doc = $(quoted contacts)
  WHERE tenant = $tenant AND id = (SELECT contact FROM limit_pairs WHERE n = :n);
UPDATE conversations SET last_activity_at = :n, doc = $(quoted conversations)
  WHERE tenant = $tenant AND id = (SELECT id FROM limit_pairs WHERE n = :n);
INSERT INTO messages (tenant, id, contact, conversation, provider, provider_message_id, created_at, doc)
  SELECT $tenant, gen_random_uuid(), contact, id, 'twilio', 'SMlimit' || gen_random_uuid(), :n,
  $(quoted messages) FROM limit_pairs WHERE n = :n;
INSERT INTO events (tenant, at, doc, contact, on_timeline)
  SELECT $tenant, :n, $event, contact, false FROM limit_pairs WHERE n = :n;
INSERT INTO events (tenant, at, doc, contact, on_timeline)
  SELECT $tenant, :n, $event, contact, false FROM limit_pairs WHERE n = :n;
END;
SQL
tps="$(pgbench -n -c "$connections" -j 2 -T "$seconds" -f "$script" "$url" |
    sed -n 's/^tps = \([0-9.]*\).*/\1/p')"
echo "pgbench_limit connections=$connections seconds=$seconds messages_per_second=${tps%.*}"
