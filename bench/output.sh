#!/usr/bin/env bash
# Every row of songplays printed as a table, JSON and Markdown by dwh, beside psql's
# aligned output of the same query, in one run on the same database: wall time (best of
# RUNS), peak RSS, and the ratio to psql. Output goes to a file, as a terminal's would.
# Uses its own embedded PostgreSQL in .dwh-bench (or DWH_HOME).
set -euo pipefail
cd "$(dirname "$0")/.."
DWH=${DWH:-.build/release/dwh}
RUNS=${RUNS:-3}
export DWH_HOME=${DWH_HOME:-$PWD/.dwh-bench}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

url=$("$DWH" db start)
"$DWH" migrate >/dev/null
psql "$url" -X -q -v ON_ERROR_STOP=1 -f bench/fill-songplays.sql >/dev/null
query="SELECT * FROM songplays"
rows=$(psql "$url" -X -At -c 'SELECT count(*) FROM songplays')
echo "rows in songplays: $rows"

# Prints "seconds peak_kb" for one command writing to $out/$name.
measure() {
    local name=$1; shift
    /usr/bin/time -f '%e %M' -o "$out/time" "$@" >"$out/$name" 2>"$out/stderr" || { cat "$out/stderr"; exit 1; }
    cat "$out/time"
}

declare -A times
names=(psql psql-fetch table json markdown)
for _ in $(seq "$RUNS"); do
    times[psql]+="$(measure psql psql "$url" -X -q -P pager=off -c "$query")"$'\n'
    times[psql-fetch]+="$(measure psql-fetch psql "$url" -X -q -P pager=off -v FETCH_COUNT=1000 -c "$query")"$'\n'
    for format in table json markdown; do
        times[$format]+="$(measure "$format" "$DWH" sql "$query" --format "$format")"$'\n'
    done
done

best() { printf '%s' "$1" | sed '/^$/d' | sort -n | head -1; }
reference=$(best "${times[psql]}" | cut -d' ' -f1)
printf '%-32s %8s %14s %8s\n' "output" "time" "peak RSS" "ratio"
for name in "${names[@]}"; do
    fastest=$(best "${times[$name]}")
    label=$name
    case $name in
        psql) label="psql aligned (reference)";;
        psql-fetch) label="psql aligned, FETCH_COUNT=1000";;
        *) label="dwh sql --format $name";;
    esac
    printf '%-32s %7ss %11d KB %8s\n' "$label" "${fastest% *}" "${fastest#* }" \
        "$(echo "scale=2; ${fastest% *} / $reference" | bc)"
done

# Every row arrived: a line a row after the header (table, markdown), an object a row (JSON).
[ "$(($(wc -l <"$out/table") - 2))" = "$rows" ] || { echo "table: wrong line count"; exit 1; }
[ "$(($(wc -l <"$out/markdown") - 2))" = "$rows" ] || { echo "markdown: wrong line count"; exit 1; }
python3 -c "import json,sys; n=len(json.load(open(sys.argv[1]))); assert n==int(sys.argv[2]), n" "$out/json" "$rows"
echo "every format holds all $rows rows; the JSON parses as one document"
