#!/usr/bin/env bash
# The incremental Redshift load's benchmark (issue 21): on the PostgreSQL rendering against a
# fresh moto_server with signature checking on, one new object on a prefix of OBJECTS loaded
# ones against the same object on a prefix of its own (goal <= 1.5), and what each run sends
# to S3 and to the database. Needs the release build (make bench-rsload).
# Usage: bench/rsload-bench.sh [objects], default 1000. Environment: ROUNDS, BENCH_HOME,
# BUILD_DIR, DWH_SHARED_DATA.
set -euo pipefail
cd "$(dirname "$0")/.."

objects=${1:-1000}
bin=$(realpath -m "${BUILD_DIR:-.build}/release")
data=${DWH_SHARED_DATA:-$(realpath -m ../shared/data/sparkify)}
export DWH_HOME=${BENCH_HOME:-$PWD/.dwh-bench}
command -v moto_server >/dev/null || .ci/install-deps

admin=$("$bin/dwh" db start)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
moto_server -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 100); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/')" 2>/dev/null && break
    sleep 0.1
done
"$bin/dwh-rsload-bench" "http://127.0.0.1:$port" "$admin" "$data" "$PWD/migrations" "$objects" "${ROUNDS:-3}"
