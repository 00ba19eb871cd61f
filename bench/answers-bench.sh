#!/usr/bin/env bash
# The per-listener answers, measured side by side in one run on one server (bench/README.md,
# "Listeners"), on `dwh generate` data loaded and transformed by dwh:
#   playlists for every listener against the floor of any per-listener answer, one
#     GROUP BY user_id, artist over the same plays (goal <= 3);
#   recommend for one listener, the most active, in seconds (goal <= 0.5 s).
# Both run through psql (PREPARE, then EXECUTE under \timing), so the client is the same.
# Usage: bench/answers-bench.sh [scale], scale 1 = 1,000,000 events and 10,000 songs.
# Environment: ROUNDS, BENCH_DATA, BENCH_HOME, BUILD_DIR, DWH (the dwh binary).
set -euo pipefail
cd "$(dirname "$0")/.."

scale=${1:-1}
events=$((1000000 * scale)) songs=$((10000 * scale))
dwh_bin=${DWH:-${BUILD_DIR:-.build}/release/dwh}
data=${BENCH_DATA:-/tmp/dwh-answers-bench-$scale}
rounds=${ROUNDS:-5}
export DWH_HOME=${BENCH_HOME:-$PWD/.dwh-bench}

admin=$("$dwh_bin" db start)
url() { local base=${admin%%\?*}; echo "${base%/*}/$1?${admin#*\?}"; }
if [[ ! -f "$data/.complete" ]]; then
    rm -rf "$data"
    "$dwh_bin" generate --songs "$songs" --events "$events" --out "$data" --seed 1 >/dev/null
    touch "$data/.complete"
fi

psql "$admin" -qc "DROP DATABASE IF EXISTS bench_answers" -c "CREATE DATABASE bench_answers"
db=$(url bench_answers)
"$dwh_bin" migrate --database-url "$db" >/dev/null
"$dwh_bin" load --staging-only --quiet --database-url "$db" --songs "$data/song_data" --events "$data/log_data"
started=$(date +%s.%N)
"$dwh_bin" transform --quiet --database-url "$db"
transform_s=$(echo "$(date +%s.%N) - $started" | bc)
psql "$db" -qc "VACUUM ANALYZE"
counts=$(psql "$db" -Atc "SELECT (SELECT COUNT(*) FROM songplays) || ' plays, ' || (SELECT COUNT(*) FROM users) || ' listeners, '
    || (SELECT COUNT(*) FROM tracks) || ' tracks, ' || (SELECT COUNT(*) FROM listener_artists) || ' listener-artist rows, '
    || (SELECT COUNT(*) FROM artist_pairs) || ' artist pairs'")
top=$(psql "$db" -Atc "SELECT user_id FROM listener_artists GROUP BY user_id ORDER BY SUM(plays) DESC, user_id LIMIT 1")
echo "scale $scale: $counts; full transform ${transform_s} s"

# A saved query's SQL as a prepared statement: the header lines are comments to psql.
prepared() { printf 'PREPARE %s(%s) AS %s\n' "$1" "$2" "$(sed -e 's/;[[:space:]]*$//' "queries/$3.sql")"; }
# Milliseconds of the last statement, from psql's \timing.
timed() { psql "$db" -qAt -o /dev/null -c '\timing on' "$@" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1; }
best() { echo "$1 $2" | awk '{print ($1 < $2) ? $1 : $2}'; }

floor_sql="SELECT sp.user_id, t.artist, count(*) AS plays FROM songplays sp JOIN tracks t ON t.track_id = sp.track_id
           GROUP BY sp.user_id, t.artist"
best_floor=999999 best_playlists=999999 best_recommend=999999
for round in $(seq "$rounds"); do
    f=$(timed -c "$floor_sql")
    p=$(timed -c "$(prepared playlists int playlists)" -c "EXECUTE playlists(10)")
    r=$(timed -c "$(prepared recommend 'text, int' recommend)" -c "EXECUTE recommend('$top', 10)")
    echo "round $round: GROUP BY user_id, artist ${f} ms; playlists (10 each) ${p} ms; recommend for listener $top ${r} ms"
    best_floor=$(best "$f" "$best_floor"); best_playlists=$(best "$p" "$best_playlists"); best_recommend=$(best "$r" "$best_recommend")
done
rows=$(psql "$db" -Atc "SELECT COUNT(*) FROM ($floor_sql) f")
picks=$("$dwh_bin" query run playlists --database-url "$db" --format csv | tail -n +2 | wc -l)

echo
echo "best of $rounds: floor ${best_floor} ms ($rows rows); playlists ${best_playlists} ms ($picks rows); recommend ${best_recommend} ms"
awk -v p="$best_playlists" -v f="$best_floor" 'BEGIN { printf "ratio playlists / GROUP BY user_id, artist: %.2f (goal <= 3)\n", p / f }'
awk -v r="$best_recommend" 'BEGIN { printf "recommend for one listener: %.3f s (goal <= 0.5 s)\n", r / 1000 }'
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GB; $(date -u +%Y-%m-%d)"
psql "$admin" -qc "DROP DATABASE IF EXISTS bench_answers"
