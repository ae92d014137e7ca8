#!/bin/sh
# msgcore's CSV import next to the Python peer, on one file, in one run:
#   sh scripts/bench_import_peer.sh [rows] [dir]
# The Rust bench writes the file (if absent) and imports it; the floor inserts
# the rows msgcore wrote again, timing only SQLite (as written today, and with
# one event per contact); the peer imports the same file. Needs
# `pip install phonenumbers`.
set -eu
rows=${1:-1000000}
dir=${2:-/tmp/msgcore-import-bench}
mkdir -p "$dir"
cargo bench --bench import --features sqlite -- "$rows" "$dir" | grep '^msgcore '
python3 scripts/import_floor_sqlite.py "$dir/msgcore.sqlite" full
python3 scripts/import_floor_sqlite.py "$dir/msgcore.sqlite" one-event
python3 scripts/bench_import_peer.py "$dir/contacts.csv" "$dir/peer.sqlite"
