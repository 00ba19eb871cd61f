#!/usr/bin/env bash
# The transform benchmark, two ratios measured side by side in one run on one server:
#   incremental: the last day of 30 transformed on top of the 29 before it, against the same
#     day transformed into a warehouse that holds only the songs (goal <= 1.25: a day costs
#     what the day holds, not what history holds);
#   full refresh: `dwh transform --full-refresh` of all 30 days against the set-based floor,
#     bench/transform-floor.sql (the same SELECTs into tables without keys, keys added after;
#     goal <= 1.25).
# Usage: bench/transform-bench.sh [scale] [full], scale 1 = 1,000,000 events and 100,000
# songs; `full` 0 skips the full-refresh ratio (the 10x run measures the day only).
# Needs the release build. Environment: ROUNDS, BENCH_DATA, BENCH_HOME, BUILD_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

scale=${1:-1} full=${2:-1}
events=$((1000000 * scale)) songs=$((100000 * scale))
bin=${BUILD_DIR:-.build}/release
data=${BENCH_DATA:-/tmp/dwh-bench-data-$scale}
rounds=${ROUNDS:-3}
export DWH_HOME=${BENCH_HOME:-$PWD/.dwh-bench}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[[ -x /usr/bin/time ]] || .ci/install-deps

admin=$("$bin/dwh" db start)
# A database of this server by name: postgresql://u@h:p/dwh?passfile=… → …/NAME?passfile=…
url() { local base=${admin%%\?*}; echo "${base%/*}/$1?${admin#*\?}"; }
fresh() { psql "$admin" -qc "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 ${2:+TEMPLATE $2}"; }
dwh() { "$bin/dwh" "$@" >/dev/null; }

if [[ ! -f "$data/.complete" ]]; then
    rm -rf "$data"
    "$bin/dwh" generate --songs "$songs" --events "$events" --out "$data" --seed 1
    touch "$data/.complete"
fi
days=("$data"/log_data/*/*/*.json)
last=${days[-1]}
echo "scale $scale: $events events in ${#days[@]} day files, $songs songs; the day: $(wc -l <"$last") events"

# Seconds and peak RSS (MB) of a command, from GNU time.
measure() {
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
    read -r seconds kbytes <"$work/time"
    echo "$seconds $((kbytes / 1024))"
}
best() { echo "$1 $2" | awk '{print ($1 < $2) ? $1 : $2}'; }
settle() { psql "$1" -qc "CHECKPOINT"; }

# Two warehouses, made once, copied for each round: 29 days transformed, and the songs alone.
fresh bench_history
dwh migrate --database-url "$(url bench_history)"
dwh load --staging-only --quiet --database-url "$(url bench_history)" --songs "$data/song_data"
for day in "${days[@]:0:${#days[@]}-1}"; do
    dwh load --staging-only --quiet --database-url "$(url bench_history)" --events "$day"
done
read -r first_s first_m < <(measure "$bin/dwh" transform --quiet --database-url "$(url bench_history)")
echo "first transform of 29 days (a full rebuild): ${first_s} s, peak RSS ${first_m} MB"
fresh bench_songs
dwh migrate --database-url "$(url bench_songs)"
dwh load --quiet --database-url "$(url bench_songs)" --songs "$data/song_data"
for db in bench_history bench_songs; do psql "$(url $db)" -qc "VACUUM ANALYZE"; done

best_history=999999 best_empty=999999 rss=0
for round in $(seq "$rounds"); do
    for kind in history songs; do
        fresh bench_round "bench_$kind"
        dwh load --staging-only --quiet --database-url "$(url bench_round)" --events "$last"
        settle "$(url bench_round)"
        read -r s m < <(measure "$bin/dwh" transform --quiet --database-url "$(url bench_round)")
        echo "round $round: the day on top of $kind: ${s} s, peak RSS ${m} MB"
        rss=$(( m > rss ? m : rss ))
        if [[ $kind == history ]]; then best_history=$(best "$s" "$best_history"); else best_empty=$(best "$s" "$best_empty"); fi
    done
done
plays=$(psql "$(url bench_round)" -Atc "SELECT COUNT(*) FROM songplays")

if [[ $full == 1 ]]; then
    fresh bench_full bench_history
    full_url=$(url bench_full)
    dwh load --quiet --database-url "$full_url" --events "$last"
    best_floor=999999 best_full=999999
    for round in $(seq "$rounds"); do
        settle "$full_url"
        read -r s m < <(measure psql "$full_url" -q -f bench/transform-floor.sql)
        psql "$full_url" -qc "DROP SCHEMA floor CASCADE"
        echo "round $round: set-based floor: ${s} s"
        best_floor=$(best "$s" "$best_floor")
        settle "$full_url"
        read -r s m < <(measure "$bin/dwh" transform --full-refresh --quiet --database-url "$full_url")
        echo "round $round: dwh transform --full-refresh: ${s} s, peak RSS ${m} MB"
        best_full=$(best "$s" "$best_full"); rss=$(( m > rss ? m : rss ))
    done
    total=$(psql "$full_url" -Atc "SELECT COUNT(*) FROM songplays")
fi

echo
echo "scale ${scale}: the day on top of 29 days (best of $rounds): ${best_history} s; into the songs alone: ${best_empty} s"
awk -v h="$best_history" -v e="$best_empty" 'BEGIN { printf "ratio incremental day / empty warehouse: %.2f (goal <= 1.25)\n", h / e }'
if [[ $full == 1 ]]; then
    echo "songplays after 30 days: $total; full refresh (best of $rounds): ${best_full} s; floor: ${best_floor} s"
    awk -v d="$best_full" -v f="$best_floor" 'BEGIN { printf "ratio full refresh / set-based floor: %.2f (goal <= 1.25)\n", d / f }'
fi
echo "peak RSS of dwh transform: ${rss} MB"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GB; $(date -u +%Y-%m-%d)"
for db in bench_history bench_songs bench_round bench_full; do psql "$admin" -qc "DROP DATABASE IF EXISTS $db"; done
