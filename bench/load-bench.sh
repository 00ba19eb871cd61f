#!/usr/bin/env bash
# The load benchmark: dwh load --staging-only against psql \copy of the same rows, already
# converted to COPY text (the floor of what PostgreSQL can ingest), in the same run, on
# the same database. Also psql \copy of the rows as binary COPY, the format dwh sends (a
# stricter reference), and the transform. Usage: bench/load-bench.sh [scale], scale 1 =
# 1,000,000 events and 100,000 songs. Needs the release build (make release). Environment:
# ROUNDS (timed rounds), TRANSFORM=0 (no transform), BENCH_DATA, BENCH_HOME, BUILD_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

scale=${1:-1}
events=$((1000000 * scale)) songs=$((100000 * scale))
bin=${BUILD_DIR:-.build}/release
data=${BENCH_DATA:-/tmp/dwh-bench-data-$scale}
export DWH_HOME=${BENCH_HOME:-$PWD/.dwh-bench}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[[ -x /usr/bin/time ]] || .ci/install-deps

admin=$("$bin/dwh" db start)
psql "$admin" -qc "DROP DATABASE IF EXISTS dwh_bench" -c "CREATE DATABASE dwh_bench"
# The same server, another database: postgresql://u@h:p/dwh?passfile=… → …/dwh_bench?passfile=…
url=${admin%%\?*}
url="${url%/*}/dwh_bench?${admin#*\?}"
"$bin/dwh" migrate --database-url "$url" >/dev/null

if [[ ! -f "$data/.complete" ]]; then
    rm -rf "$data"
    "$bin/dwh" generate --songs "$songs" --events "$events" --out "$data" --seed 1
    touch "$data/.complete"
fi
json_mb=$(du -sm --apparent-size "$data" | cut -f1)

# The parser's speed does not depend on the scale: measured at scale 1 only.
[[ $scale != 1 ]] || "$bin/dwh-bench" parse "$data/log_data"
"$bin/dwh-bench" copytext events "$data/log_data" "$work/events.copy" 2>/dev/null
"$bin/dwh-bench" copytext songs "$data/song_data" "$work/songs.copy" 2>/dev/null
# Above scale 1 (a million song files to read for each reference file): one round unless
# ROUNDS says otherwise, and the binary reference only at scale 1. TRANSFORM=0 skips it.
rounds=${ROUNDS:-$(( scale == 1 ? 3 : 1 ))}
if (( scale == 1 )); then
    "$bin/dwh-bench" copybinary events "$data/log_data" "$work/events.bin" 2>/dev/null
    "$bin/dwh-bench" copybinary songs "$data/song_data" "$work/songs.bin" 2>/dev/null
fi

event_columns="artist, auth, first_name, gender, item_in_session, last_name, length, level, location, method, page, registration, session_id, song, status, ts, user_agent, user_id, file_id, line_number"
song_columns="num_songs, artist_id, artist_latitude, artist_longitude, artist_location, artist_name, song_id, title, duration, year, file_id, line_number"

# Seconds and peak RSS (MB) of a command, from GNU time.
measure() {
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
    read -r seconds kbytes <"$work/time"
    echo "$seconds $((kbytes / 1024))"
}

# Each timed load starts from the same state: staging empty, no dirty buffers left by the
# one before (CHECKPOINT), and the JSON in the page cache (psql's prepared files are too).
prepare() {
    psql "$url" -qc "TRUNCATE staging_events, staging_songs, dwh_loaded_files" -c "CHECKPOINT"
    find "$data" -name '*.json' -print0 | xargs -0 cat >/dev/null
}
best() { echo "$1 $2" | awk '{print ($1 < $2) ? $1 : $2}'; }
# psql \copy of both prepared files: psql_copy <extension> [COPY options]
psql_copy() {
    measure psql "$url" -q \
        -c "\\copy staging_events ($event_columns) FROM '$work/events.$1' ${2:-}" \
        -c "\\copy staging_songs ($song_columns) FROM '$work/songs.$1' ${2:-}"
}

best_psql=999999 best_binary=999999 best_dwh=999999 dwh_rss=0
for round in $(seq "$rounds"); do
    prepare
    read -r s m < <(psql_copy copy)
    echo "round $round: psql \\copy text   ${s} s, peak RSS ${m} MB"
    best_psql=$(best "$s" "$best_psql")
    if [[ -f $work/events.bin ]]; then
        prepare
        read -r s m < <(psql_copy bin "WITH (FORMAT binary)")
        echo "round $round: psql \\copy binary ${s} s, peak RSS ${m} MB"
        best_binary=$(best "$s" "$best_binary")
    fi
    prepare
    read -r s m < <(measure "$bin/dwh" load --staging-only --full-refresh --quiet --database-url "$url" \
        --songs "$data/song_data" --events "$data/log_data")
    echo "round $round: dwh load          ${s} s, peak RSS ${m} MB"
    best_dwh=$(best "$s" "$best_dwh"); dwh_rss=$(( m > dwh_rss ? m : dwh_rss ))
done
transform_s=skipped transform_m=0
[[ ${TRANSFORM:-1} == 0 ]] || read -r transform_s transform_m < <(measure "$bin/dwh" transform --database-url "$url")
rows=$(psql "$url" -Atc "SELECT COUNT(*) FROM staging_events")

echo
echo "scale ${scale}: $events events + $songs songs, ${json_mb} MB of JSON; staging_events has $rows rows"
echo "psql \\copy text   (best of $rounds): ${best_psql} s"
echo "dwh load          (best of $rounds): ${best_dwh} s, peak RSS ${dwh_rss} MB (highest of $rounds)"
awk -v d="$best_dwh" -v p="$best_psql" 'BEGIN { printf "ratio dwh / psql text: %.2f (goal <= 1.25)\n", d / p }'
if [[ -f $work/events.bin ]]; then
    echo "psql \\copy binary (best of $rounds): ${best_binary} s"
    awk -v d="$best_dwh" -v p="$best_binary" 'BEGIN { printf "ratio dwh / psql binary: %.2f\n", d / p }'
fi
[[ $transform_s == skipped ]] || echo "dwh transform: ${transform_s} s, peak RSS ${transform_m} MB"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GB; $(date -u +%Y-%m-%d)"
psql "$admin" -qc "DROP DATABASE IF EXISTS dwh_bench"
