#!/bin/sh
# schemathesis (PyPI) against the example server's own /openapi.json, with a
# key that `create-key` made: every generated request, valid and invalid,
# must get no 5xx and a response the document describes. Also checks that
# the API refuses requests without the key (schemathesis's ignored_auth).
#
#     sh scripts/api_conformance.sh [MAX_EXAMPLES] [DIR] [SCHEMATHESIS OPTIONS…]
#
# Exits non-zero on any failure; the server's log is in DIR/server.log, and
# the files it was sent in DIR/media. The server is built in CARGO_TARGET_DIR
# when that is set.
set -eu
max_examples="${1:-100}"
dir="${2:-$(mktemp -d)}"
shift $(($# < 2 ? $# : 2))
port="${API_PORT:-18090}"
cd "$(dirname "$0")/.."
cargo build --quiet --example server --features api,http,sqlite
server_binary="${CARGO_TARGET_DIR:-target}/debug/examples/server"
mkdir -p "$dir"
rm -rf "$dir/api.sqlite" "$dir/api.sqlite-wal" "$dir/api.sqlite-shm" "$dir/media"
# The rate limit is raised so that schemathesis's thousands of requests test
# the routes, not the limiter (tests/api/limits.rs tests that).
export MSGCORE_API_RATE_LIMIT=1000000
key="$(MSGCORE_DATABASE="$dir/api.sqlite" "$server_binary" \
    create-key --name schemathesis --scopes admin 2>"$dir/create-key.log")" ||
    { cat "$dir/create-key.log" >&2; exit 1; }
. scripts/local_server.sh
start_server "$server_binary" "$port" "$dir/api.sqlite" "$dir/server.log"
base="http://127.0.0.1:$port/api/whatsapp-api"
# One contact with a conversation, a campaign, a webhook endpoint and a file,
# so that the routes that take an id reach their data
# (scripts/schemathesis.toml names them).
api() {
    curl -sS -f -X POST -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
        -d "$2" "$base$1"
}
field() { python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }
export SEED_PHONE=+14155550100
SEED_CONTACT="$(api /contacts \
    "{\"phone\": \"$SEED_PHONE\", \"smsOptedIn\": true, \"whatsappOptedIn\": true}" | field "['id']")"
SEED_CONVERSATION="$(api /send "{\"to\": \"$SEED_PHONE\", \"type\": \"text\", \"text\": \"Hello\",
    \"channel\": \"sms\", \"kind\": \"transactional\"}" | field "['message']['conversationId']")"
export SEED_CAMPAIGN=seeded-campaign
api /campaigns "{\"id\": \"$SEED_CAMPAIGN\", \"channel\": \"sms\", \"text\": \"Hi {name}\",
    \"start_at\": \"2030-01-01T00:00:00Z\"}" >/dev/null
SEED_WEBHOOK="$(api /webhooks '{"url": "https://hooks.example.com/seeded"}' | field "['id']")"
SEED_MEDIA="$(curl -sS -f -H "Authorization: Bearer $key" \
    -F "file=@tests/fixtures/media/image.jpg;filename=seed.jpg" "$base/media" | field "['id']")"
export SEED_CONTACT SEED_CONVERSATION SEED_WEBHOOK SEED_MEDIA
# GET /events is an endless event stream, which a client reading a whole
# response waits on forever; tests/api/events.rs tests it.
schemathesis --config-file scripts/schemathesis.toml run "$base/openapi.json" --url "$base" \
    --header "Authorization: Bearer $key" \
    --exclude-path /events \
    --checks all \
    --max-examples "$max_examples" \
    --seed 1 \
    --workers 2 "$@"
