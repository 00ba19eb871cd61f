#!/usr/bin/env bash
# Export 1,000,000 rows of songplays joined to users as CSV with dwh and with psql's
# \copy, in one run, on the same database: wall time (best of N), peak RSS, and cmp of
# the bytes. Uses its own embedded PostgreSQL in .dwh-bench (or DWH_HOME).
set -euo pipefail
cd "$(dirname "$0")/.."
DWH=${DWH:-.build/release/dwh}
RUNS=${RUNS:-3}
export DWH_HOME=${DWH_HOME:-$PWD/.dwh-bench}
export DWH_QUERIES=$PWD/bench/queries
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

url=$("$DWH" db start)
"$DWH" migrate >/dev/null
psql "$url" -X -q -v ON_ERROR_STOP=1 -f bench/fill-songplays.sql >/dev/null
query=$(sed -n '/^SELECT/,$p' bench/queries/songplays_with_users.sql | sed 's/\$1::int/1000000/; s/;$//' | tr '\n' ' ')
echo "rows in songplays: $(psql "$url" -X -At -c 'SELECT count(*) FROM songplays')"

# Prints "seconds peak_kb" for one command.
measure() {
    /usr/bin/time -f '%e %M' -o "$out/time" "$@" >/dev/null 2>"$out/stderr" || { cat "$out/stderr"; exit 1; }
    cat "$out/time"
}

best() { sort -n | head -1; }
psql_times=(); fetch_times=(); copy_times=(); cursor_times=()
for _ in $(seq "$RUNS"); do
    psql_times+=("$(measure psql "$url" -X -q -c "\\copy ($query) TO '$out/psql.csv' CSV HEADER")")
    fetch_times+=("$(measure psql "$url" -X -q -v FETCH_COUNT=10000 --csv -c "$query" -o "$out/psql-fetch.csv")")
    copy_times+=("$(measure "$DWH" sql "$query" --format csv -o "$out/dwh-copy.csv")")
    cursor_times+=("$(measure "$DWH" export songplays_with_users -o "$out/dwh-cursor.csv")")
done

report() {
    local name=$1; shift
    local fastest; fastest=$(printf '%s\n' "$@" | best)
    printf '%-40s %8ss  peak RSS %6d KB\n' "$name" "${fastest% *}" "${fastest#* }"
}
report "psql \\copy" "${psql_times[@]}"
report "psql FETCH_COUNT=10000 --csv (cursor)" "${fetch_times[@]}"
report "dwh sql --format csv -o (COPY)" "${copy_times[@]}"
report "dwh export (cursor, \$1 bound)" "${cursor_times[@]}"
p=$(printf '%s\n' "${psql_times[@]}" | best | cut -d' ' -f1)
c=$(printf '%s\n' "${copy_times[@]}" | best | cut -d' ' -f1)
k=$(printf '%s\n' "${cursor_times[@]}" | best | cut -d' ' -f1)
f=$(printf '%s\n' "${fetch_times[@]}" | best | cut -d' ' -f1)
echo "ratio dwh/psql \\copy: COPY path $(echo "scale=2; $c / $p" | bc), cursor path $(echo "scale=2; $k / $p" | bc)"
echo "ratio dwh cursor path / psql cursor (FETCH_COUNT): $(echo "scale=2; $k / $f" | bc)"
ls -l "$out"/*.csv | awk '{print $5, $9}'
cmp "$out/psql.csv" "$out/dwh-copy.csv" && echo "COPY path: identical bytes"
cmp "$out/psql.csv" "$out/dwh-cursor.csv" && echo "cursor path: identical bytes"
cmp "$out/psql.csv" "$out/psql-fetch.csv" && echo "psql cursor: identical bytes"
