#!/bin/sh
# The REST API of the example server on a new SQLite file, loaded by wrk
# (Debian's package) over CONNECTIONS connections for SECONDS each:
#   1. POST /contacts, a new contact per request (which seeds step 3),
#   2. GET /contacts?limit=20,
#   3. POST /send, a transactional SMS to one of the contacts step 1 made.
# Each prints wrk's requests/s and latency distribution (p50, p99). The
# dispatcher sends what step 3 queues to scripts/mock_provider.py, which
# accepts everything, as a healthy provider does.
#
#     sh scripts/load_api.sh [SECONDS] [CONNECTIONS] [DIR]
set -eu
seconds="${1:-20}"
connections="${2:-64}"
dir="${3:-$(mktemp -d)}"
port="${LOAD_PORT:-18085}"
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
cargo build --quiet --release --example server --features api,http,sqlite
mkdir -p "$dir"
rm -f "$dir/api.sqlite" "$dir/api.sqlite-wal" "$dir/api.sqlite-shm"
# One key and one client address: the limits would measure themselves.
export MSGCORE_API_RATE_LIMIT=100000000
key="$(MSGCORE_DATABASE="$dir/api.sqlite" target/release/examples/server \
    create-key --name load --scopes admin 2>/dev/null)"
provider_port=$((port + 1))
python3 scripts/mock_provider.py "$provider_port" &
provider=$!
export PROVIDER_URL="http://127.0.0.1:$provider_port"
. scripts/local_server.sh
start_server target/release/examples/server "$port" "$dir/api.sqlite" "$dir/server.log"
trap 'kill $server $provider 2>/dev/null || true' EXIT
base="http://127.0.0.1:$port/api/whatsapp-api"
load() {
    echo "== $1"
    shift
    wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Authorization: Bearer $key" "$@" \
        | tee "$dir/wrk.out"
    # A run with refusals measured something else: fail it.
    ! grep -q "Non-2xx" "$dir/wrk.out"
}
MODE=create THREADS=2 load "POST /contacts" -s scripts/wrk/api.lua "$base/contacts"
# Clean, so the next run measures no checkpoint of this one's writes.
sqlite3 "$dir/api.sqlite" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
contacts="$(sqlite3 "$dir/api.sqlite" "SELECT count(*) FROM contacts")"
echo "contacts stored: $contacts"
load "GET /contacts?limit=20" "$base/contacts?limit=20"
MODE=send THREADS=2 CONTACTS="$contacts" load "POST /send" -s scripts/wrk/api.lua "$base/send"
echo "messages stored: $(sqlite3 "$dir/api.sqlite" "SELECT count(*) FROM messages")"
