#!/usr/bin/env bash
# `msgctl e164` against Python `phonenumbers` (parse + validate + format E.164) on the
# same mixed input lines, JSON in and out, process start included; then checks that
# the answers are identical (with the SPEC §1 15-digit cap applied to the oracle).
#
# Usage: scripts/bench_e164_peer.sh [LINES]   (default 200000; needs hyperfine and
# `pip install phonenumbers`; use phonenumbers==9.0.42 for the exact metadata match)
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-200000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 scripts/e164_inputs.py "$lines" 1 > "$tmp/in.jsonl"
cargo build --quiet --release --example msgctl
msgctl=target/release/examples/msgctl

hyperfine --warmup 1 --runs "${RUNS:-3}" \
  -n "msgctl e164" "$msgctl e164 < $tmp/in.jsonl > /dev/null" \
  -n "python phonenumbers" "python3 scripts/e164_oracle.py < $tmp/in.jsonl > /dev/null"

"$msgctl" e164 < "$tmp/in.jsonl" > "$tmp/ours.jsonl"
python3 scripts/e164_oracle.py --e164-cap < "$tmp/in.jsonl" > "$tmp/theirs.jsonl"
python3 scripts/e164_compare.py "$tmp/in.jsonl" "$tmp/theirs.jsonl" "$tmp/ours.jsonl"
