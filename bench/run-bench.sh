#!/usr/bin/env bash
# The daily job's benchmark, two ratios measured side by side in one run on one server:
#   the day: `dwh run --date` of the 30th day on top of 29 days that `dwh run` did, against
#     the same day's run into a warehouse that holds only the songs (goal <= 1.25: the job
#     costs what the day holds). The run writes a report and an export; their time (from
#     the ledger's steps) is printed apart and left out of the ratio.
#   the backfill: `dwh run --from --to` of all 30 days into an empty warehouse, against one
#     `dwh load` of the same 30 files and the songs, one `dwh transform` and one `dwh check`
#     (goal <= 1.3: a run per day costs little more than one load of them all).
# Peak RSS of every timed command is printed, for the memory to be compared across scales.
# Usage: bench/run-bench.sh [scale], scale 1 = 1,000,000 events and 100,000 songs.
# Needs the release build. Environment: ROUNDS, BENCH_DATA, BENCH_HOME, BUILD_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

scale=${1:-1}
events=$((1000000 * scale)) songs=$((100000 * scale))
bin=$(realpath -m "${BUILD_DIR:-.build}/release")
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
settle() { psql "$1" -qc "CHECKPOINT"; }
best() { echo "$1 $2" | awk '{print ($1 < $2) ? $1 : $2}'; }
# Times a command with GNU time: its seconds in $s, its peak RSS (MB) in $m, its output in
# $work/out. A failed command stops the benchmark.
measure() {
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
    local kbytes
    read -r s kbytes <"$work/time"
    m=$((kbytes / 1024))
}

if [[ ! -f "$data/.complete" ]]; then
    rm -rf "$data"
    "$bin/dwh" generate --songs "$songs" --events "$events" --out "$data" --seed 1
    touch "$data/.complete"
fi
files=("$data"/log_data/*/*/*-events.json)
name() { local base=${1##*/}; echo "${base%-events.json}"; }
first=$(name "${files[0]}") before=$(name "${files[-2]}") last=$(name "${files[-1]}")
echo "scale $scale: $events events in ${#files[@]} day files ($first to $last), $songs songs; the day: $(wc -l <"${files[-1]}") events"

# The project: dwh init's, reading the generated data. core.cfg runs load, transform and
# checks; deliver.cfg also writes the day's report and an export.
project=$work/project
"$bin/dwh" init "$project" >/dev/null
cd "$project"
runkeys() {
    sed -e "s|^EVENTS=.*|EVENTS=$data/log_data/{yyyy}/{mm}/{date}-events.json|" \
        -e "s|^SONGS=.*|SONGS=$data/song_data|" -e "s|^REPORT=.*|REPORT=$1|" -e "s|^EXPORTS=.*|EXPORTS=$2|" dwh.cfg
}
runkeys "" "" >core.cfg
runkeys "reports/{date}.html" "top_songs -> exports/{date}/top_songs.csv, plays_by_hour since={run_start} -> exports/{date}/hours.csv" >deliver.cfg
dwh() { "$bin/dwh" "$@" >/dev/null; }
# dwh load, transform and check outside the project, whose dwh.cfg names Sparkify's S3 data.
outside() { (cd "$work" && "$bin/dwh" "$@" >/dev/null); }

# The warehouses, made once and copied for each round: migrated and empty; the songs alone;
# 29 days run by dwh run.
fresh bench_run_empty
outside migrate --migrations-dir "$project/migrations" --database-url "$(url bench_run_empty)"
fresh bench_run_songs bench_run_empty
outside load --quiet --database-url "$(url bench_run_songs)" --songs "$data/song_data"
fresh bench_run_history bench_run_empty
measure "$bin/dwh" run --config core.cfg --from "$first" --to "$before" --database-url "$(url bench_run_history)"
echo "set-up: dwh run of the 29 days before: ${s} s, peak RSS ${m} MB"
for db in bench_run_songs bench_run_history; do psql "$(url $db)" -qc "VACUUM ANALYZE"; done

# The deliverables' seconds of the newest attempt of a day, from the ledger.
deliverables() {
    "$bin/dwh" runs --date "$1" --format json --database-url "$2" | python3 -c '
import json, sys
attempt = json.load(sys.stdin)[-1]
assert attempt["status"] == "succeeded", attempt
print(round(sum(s["seconds"] for s in attempt["steps"] if s["step"] in ("report", "export")), 2))'
}

# Seconds of each step summed over every attempt in the ledger (of the day $2 if given), e.g.
# "load 12.3 s, transform 4.5 s".
steps() {
    "$bin/dwh" runs --format json ${2:+--date "$2"} --database-url "$1" | python3 -c '
import json, sys
total = {}
for attempt in json.load(sys.stdin):
    for step in attempt["steps"]:
        total[step["step"]] = total.get(step["step"], 0) + step["seconds"]
print(", ".join(f"{name} {seconds:.2f} s" for name, seconds in total.items()))'
}

best_history=999999 best_songs=999999 rss=0
for round in $(seq "$rounds"); do
    for kind in history songs; do
        fresh bench_run_round "bench_run_$kind"
        settle "$(url bench_run_round)"
        measure "$bin/dwh" run --config deliver.cfg --date "$last" --database-url "$(url bench_run_round)"
        d=$(deliverables "$last" "$(url bench_run_round)")
        job=$(awk -v s="$s" -v d="$d" 'BEGIN { printf "%.2f", s - d }')
        echo "round $round: the day on top of $kind: ${job} s without the deliverables (${s} s in all, report and exports ${d} s), peak RSS ${m} MB"
        echo "  its steps (the ledger): $(steps "$(url bench_run_round)" "$last")"
        rss=$(( m > rss ? m : rss ))
        if [[ $kind == history ]]; then best_history=$(best "$job" "$best_history") deliver_history=$d
        else best_songs=$(best "$job" "$best_songs") deliver_songs=$d; fi
    done
done
plays=$(psql "$(url bench_run_round)" -Atc "SELECT COUNT(*) FROM songplays")

best_backfill=999999 best_once=999999
for round in $(seq "$rounds"); do
    fresh bench_run_round bench_run_empty
    settle "$(url bench_run_round)"
    measure "$bin/dwh" run --config core.cfg --from "$first" --to "$last" --database-url "$(url bench_run_round)"
    grep -q "run: ${#files[@]} days succeeded" "$work/out" || { cat "$work/out" >&2; exit 1; }
    echo "round $round: dwh run --from $first --to $last: ${s} s, peak RSS ${m} MB"
    best_backfill=$(best "$s" "$best_backfill") rss=$(( m > rss ? m : rss ))
    backfilled=$(psql "$(url bench_run_round)" -Atc "SELECT COUNT(*) FROM songplays")
    echo "  its steps, summed over the days (the ledger): $(steps "$(url bench_run_round)")"

    fresh bench_run_round bench_run_empty
    settle "$(url bench_run_round)"
    once=0 once_rss=0 parts=()
    for step in "load --quiet --songs $data/song_data --events $data/log_data" "transform --quiet" check; do
        # shellcheck disable=SC2086 # the step's words
        pushd "$work" >/dev/null
        measure "$bin/dwh" $step --database-url "$(url bench_run_round)"
        popd >/dev/null
        once=$(awk -v a="$once" -v b="$s" 'BEGIN { print a + b }') once_rss=$(( m > once_rss ? m : once_rss ))
        parts+=("${step%% *} ${s} s")
    done
    echo "round $round: one load, transform and check of the same files: ${once} s (${parts[*]}), peak RSS ${once_rss} MB"
    best_once=$(best "$once" "$best_once")
    loaded=$(psql "$(url bench_run_round)" -Atc "SELECT COUNT(*) FROM songplays")
    [[ $backfilled == "$loaded" ]] || { echo "the backfill made $backfilled songplays, one load $loaded" >&2; exit 1; }
done

echo
echo "scale ${scale}: the day's run on top of 29 days (best of $rounds): ${best_history} s; into the songs alone: ${best_songs} s ($plays songplays on that day alone)"
awk -v h="$best_history" -v e="$best_songs" 'BEGIN { printf "ratio the day on history / on the songs alone: %.2f (goal <= 1.25)\n", h / e }'
echo "deliverables of the day (last round): ${deliver_history} s on top of 29 days, ${deliver_songs} s on the songs alone"
echo "backfill of ${#files[@]} days (best of $rounds): ${best_backfill} s; one load, transform and check: ${best_once} s ($backfilled songplays both)"
awk -v b="$best_backfill" -v o="$best_once" 'BEGIN { printf "ratio backfill / one load: %.2f (goal <= 1.3)\n", b / o }'
echo "peak RSS of dwh run: ${rss} MB"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GB; $(date -u +%Y-%m-%d)"
for db in bench_run_empty bench_run_songs bench_run_history bench_run_round; do psql "$admin" -qc "DROP DATABASE IF EXISTS $db"; done
