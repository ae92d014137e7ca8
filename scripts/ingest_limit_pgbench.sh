#!/bin/sh
# The raw rate of an inbound message's writes on PostgreSQL: pgbench running
# the same writes as the example server over CONNECTIONS clients, for
# scripts/load_server.sh to print next to the server's rate on the same
# database.
#
#     sh scripts/ingest_limit_pgbench.sh DATABASE_URL [CONNECTIONS] [SECONDS] [PER_TRANSACTION]
#
# DATABASE_URL is a database the example server filled: its tenant, contacts
# and conversations are reused, and its documents give the sizes. Per
# message: the contact and its conversation updated, the message and two
# events inserted. PER_TRANSACTION messages (default 1) go in each
# transaction, each statement writing all of their rows, as the server's
# group commit writes a batch. With more than one, each client keeps to a
# slice of the conversations of its own, so that no two transactions update
# the same rows (they would deadlock, locking them in different orders), and
# the clients are as many as there are slices, CONNECTIONS at the most.
set -eu
url="$1"
connections="${2:-64}"
seconds="${3:-10}"
per_transaction="${4:-1}"
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
if [ "$per_transaction" -gt 1 ] && [ $((connections * per_transaction)) -gt "$pairs" ]; then
    connections=$((pairs / per_transaction))
fi
# One message: any conversation. More: a run of them in the client's slice.
if [ "$per_transaction" -gt 1 ]; then
    slice=$((pairs / connections))
    first="\\set lo :client_id * $slice + random(0, $slice - $per_transaction)"
else
    first="\\set lo random(0, $pairs - 1)"
fi
rows="n BETWEEN :lo AND :lo + $per_transaction - 1"
event="$(sample "SELECT quote_literal(doc) FROM events ORDER BY seq DESC LIMIT 1")"
cat >"$script" <<SQL
$first
BEGIN;
UPDATE contacts SET version = version + 1, doc = $(quoted contacts)
  WHERE tenant = $tenant AND id IN (SELECT contact FROM limit_pairs WHERE $rows);
UPDATE conversations SET last_activity_at = :lo, doc = $(quoted conversations)
  WHERE tenant = $tenant AND id IN (SELECT id FROM limit_pairs WHERE $rows);
INSERT INTO messages (tenant, id, contact, conversation, provider, provider_message_id, created_at, doc)
  SELECT $tenant, gen_random_uuid(), contact, id, 'twilio', 'SMlimit' || gen_random_uuid(), :lo,
  $(quoted messages) FROM limit_pairs WHERE $rows;
INSERT INTO events (tenant, at, doc, contact, on_timeline)
  SELECT $tenant, :lo, $event, contact, false FROM limit_pairs WHERE $rows;
INSERT INTO events (tenant, at, doc, contact, on_timeline)
  SELECT $tenant, :lo, $event, contact, false FROM limit_pairs WHERE $rows;
END;
SQL
threads=$((connections < 2 ? connections : 2))
tps="$(pgbench -n -c "$connections" -j "$threads" -T "$seconds" -f "$script" "$url" |
    sed -n 's/^tps = \([0-9.]*\).*/\1/p')"
messages="$(awk -v tps="$tps" -v n="$per_transaction" 'BEGIN { printf "%d", tps * n }')"
echo "pgbench_limit connections=$connections per_transaction=$per_transaction seconds=$seconds messages_per_second=$messages"
