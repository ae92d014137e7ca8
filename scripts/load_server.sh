#!/bin/sh
# The example server on a new SQLite file, loaded by examples/loadgen: signed
# Twilio SMS webhooks over CONNECTIONS connections until COUNT are sent.
#
#     sh scripts/load_server.sh [COUNT] [CONNECTIONS] [DIR]
#     LOAD_DATABASE=postgres://postgres@127.0.0.1:5432/load sh scripts/load_server.sh ...
#
# Prints the load generator's line (webhooks/s, p50/p99/p999 latency), checks
# that every acknowledged message id is in the database, then measures the
# limit on the same disk: the same writes with no msgcore, batched 64 a
# transaction on SQLite (scripts/ingest_limit_sqlite.py); on PostgreSQL,
# pgbench one message a transaction over CONNECTIONS clients, then 32 a
# transaction from one client and from many (scripts/ingest_limit_pgbench.sh).
# With
# LOAD_DATABASE (an empty PostgreSQL database) the server runs on it instead
# of a new SQLite file.
set -eu
count="${1:-20000}"
connections="${2:-64}"
dir="${3:-$(mktemp -d)}"
port="${LOAD_PORT:-18080}"
token="load-test-auth-token"
cd "$(dirname "$0")/.."
cargo build --quiet --release --example server --features api,http,sqlite,postgres
cargo build --quiet --release --example loadgen --features http,twilio
mkdir -p "$dir"
database="${LOAD_DATABASE:-$dir/inbox.sqlite}"
rm -f "$dir/inbox.sqlite" "$dir/inbox.sqlite-wal" "$dir/inbox.sqlite-shm"
. scripts/local_server.sh
start_server target/release/examples/server "$port" "$database" "$dir/server.log" "$token"
target/release/examples/loadgen --url "http://127.0.0.1:$port/twilio/demo/sms" \
    --signed-url "https://inbox.example.test/twilio/demo/sms" --auth-token "$token" \
    --connections "$connections" --count "$count" --acked "$dir/acked.txt"
kill "$server"
wait "$server" 2>/dev/null || true
count_sql="SELECT count(*) FROM messages WHERE provider_message_id LIKE 'SM%'"
case "$database" in
postgres://* | postgresql://*)
    stored="$(psql -tA "$database" -c "$count_sql")"
    # One message a transaction over as many clients as the server had; then
    # 32 a transaction (the server's group commit writes about that many at
    # once) from one client, as the server's one writer, and from many.
    limit="$(sh scripts/ingest_limit_pgbench.sh "$database" "$connections" 10)
$(sh scripts/ingest_limit_pgbench.sh "$database" 1 10 32)
$(sh scripts/ingest_limit_pgbench.sh "$database" "$connections" 10 32)"
    ;;
*)
    stored="$(sqlite3 "$database" "$count_sql")"
    rm -f "$dir/limit.sqlite" "$dir/limit.sqlite-wal" "$dir/limit.sqlite-shm"
    for suffix in "" -wal -shm; do
        if [ -f "$database$suffix" ]; then cp "$database$suffix" "$dir/limit.sqlite$suffix"; fi
    done
    limit="$(python3 scripts/ingest_limit_sqlite.py "$dir/limit.sqlite" "$count" 64)"
    ;;
esac
echo "acknowledged=$(wc -l <"$dir/acked.txt") stored=$stored"
echo "$limit"
