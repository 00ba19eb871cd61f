-- The checks `dwh check` runs, in name order. Each returns how many rows (or tables) break
-- its rule (0 passes), for the facts in [$1, $2): a day inside `dwh run`, everything otherwise.

-- name: 01 every table has rows
SELECT (SELECT CASE WHEN EXISTS (SELECT 1 FROM staging_events) THEN 0 ELSE 1 END)
     + (SELECT CASE WHEN EXISTS (SELECT 1 FROM staging_songs) THEN 0 ELSE 1 END)
     + (SELECT CASE WHEN EXISTS (SELECT 1 FROM songplays) THEN 0 ELSE 1 END)
     + (SELECT CASE WHEN EXISTS (SELECT 1 FROM users) THEN 0 ELSE 1 END)
     + (SELECT CASE WHEN EXISTS (SELECT 1 FROM songs) THEN 0 ELSE 1 END)
     + (SELECT CASE WHEN EXISTS (SELECT 1 FROM artists) THEN 0 ELSE 1 END)
     + (SELECT CASE WHEN EXISTS (SELECT 1 FROM time) THEN 0 ELSE 1 END)
     + (CASE WHEN CAST($1 AS timestamp) < CAST($2 AS timestamp) THEN 0 ELSE 1 END)

-- The dimensions have no time: checked whole, with no interval to bind. Within a batch of
-- `dwh run` (one transform, then each day's checks) such a check runs once for all the days.
-- name: 02 no NULL, empty or duplicate keys in dimensions
SELECT (SELECT COUNT(*) FROM users WHERE user_id IS NULL OR user_id = '')
     + (SELECT COUNT(*) FROM songs WHERE song_id IS NULL OR song_id = '')
     + (SELECT COUNT(*) FROM artists WHERE artist_id IS NULL OR artist_id = '')
     + (SELECT COUNT(*) FROM time WHERE start_time IS NULL)
     + (SELECT COUNT(*) FROM (SELECT user_id FROM users GROUP BY user_id HAVING COUNT(*) > 1) d)
     + (SELECT COUNT(*) FROM (SELECT song_id FROM songs GROUP BY song_id HAVING COUNT(*) > 1) d)
     + (SELECT COUNT(*) FROM (SELECT artist_id FROM artists GROUP BY artist_id HAVING COUNT(*) > 1) d)

-- name: 03 every songplay's user is in users
SELECT COUNT(*) FROM songplays p LEFT JOIN users u ON u.user_id = p.user_id
WHERE p.start_time >= CAST($1 AS timestamp) AND p.start_time < CAST($2 AS timestamp) AND u.user_id IS NULL

-- The interval bounds time too, so that only the interval's rows of time are read.
-- name: 04 every songplay's start_time is in time
SELECT COUNT(*)
FROM songplays p
LEFT JOIN time t ON t.start_time = p.start_time
                AND t.start_time >= CAST($1 AS timestamp) AND t.start_time < CAST($2 AS timestamp)
WHERE p.start_time >= CAST($1 AS timestamp) AND p.start_time < CAST($2 AS timestamp) AND t.start_time IS NULL

-- name: 05 every matched songplay's song and artist exist
SELECT COUNT(*)
FROM songplays p
LEFT JOIN songs s ON s.song_id = p.song_id
LEFT JOIN artists a ON a.artist_id = p.artist_id
WHERE p.start_time >= CAST($1 AS timestamp) AND p.start_time < CAST($2 AS timestamp)
  AND ((p.song_id IS NOT NULL AND s.song_id IS NULL) OR (p.artist_id IS NOT NULL AND a.artist_id IS NULL))

-- name: 06 no duplicate keys in time or songplays
SELECT (SELECT COUNT(*) FROM (SELECT start_time FROM time
                              WHERE start_time >= CAST($1 AS timestamp) AND start_time < CAST($2 AS timestamp)
                              GROUP BY start_time HAVING COUNT(*) > 1) d)
     + (SELECT COUNT(*) FROM (SELECT songplay_id FROM songplays
                              WHERE start_time >= CAST($1 AS timestamp) AND start_time < CAST($2 AS timestamp)
                              GROUP BY songplay_id HAVING COUNT(*) > 1) d)

-- An event's ts is milliseconds since the epoch; a songplay's start_time is that instant.
-- The bounds are bigint, as ts is, so that the index on ts (migration 0009) finds the day.
-- name: 07 songplays equal the NextSong events staged
SELECT ABS((SELECT COUNT(*) FROM songplays
            WHERE start_time >= CAST($1 AS timestamp) AND start_time < CAST($2 AS timestamp))
         - (SELECT COUNT(*) FROM staging_events
            WHERE page = 'NextSong'
              AND ts >= CAST(EXTRACT(epoch FROM CAST($1 AS timestamp)) * 1000 AS bigint)
              AND ts < CAST(EXTRACT(epoch FROM CAST($2 AS timestamp)) * 1000 AS bigint)))
