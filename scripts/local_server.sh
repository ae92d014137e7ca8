# Sourced by the scripts that run the example server on this machine alone:
# one Twilio-configured tenant "demo" whose provider API is a closed port
# unless PROVIDER_URL names another (scripts/mock_provider.py), so nothing
# leaves the machine.
#
# start_server BINARY PORT DATABASE LOG [AUTH_TOKEN]
#   starts BINARY in the background ($server holds its pid, killed on exit)
#   and returns once it listens. Other MSGCORE_* variables in the caller's
#   environment reach it.
start_server() {
    MSGCORE_LISTEN="127.0.0.1:$2" MSGCORE_PUBLIC_URL="https://inbox.example.test" \
        MSGCORE_DATABASE="$3" RUST_LOG="${RUST_LOG:-warn}" \
        TWILIO_ACCOUNT_SID=AC0123456789abcdef0123456789abcdef \
        TWILIO_AUTH_TOKEN="${5:-local-auth-token}" \
        TWILIO_FROM_NUMBER=+12025551234 TWILIO_API_BASE_URL="${PROVIDER_URL:-http://127.0.0.1:9}" \
        "$1" >"$4" 2>&1 &
    server=$!
    trap 'kill $server 2>/dev/null || true' EXIT
    for _ in $(seq 1 100); do
        grep -q "listening" "$4" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "the server did not start; its log, $4:" >&2
    cat "$4" >&2
    return 1
}
