-- The checks `dwh check` runs, in name order. Each query returns how many rows (or
-- tables) break the rule: 0 passes.

-- name: 01 every table has rows
SELECT (SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END FROM staging_events)
     + (SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END FROM staging_songs)
     + (SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END FROM songplays)
     + (SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END FROM users)
     + (SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END FROM songs)
     + (SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END FROM artists)
     + (SELECT CASE WHEN COUNT(*) = 0 THEN 1 ELSE 0 END FROM time)

-- name: 02 no NULL or empty keys in dimensions
SELECT (SELECT COUNT(*) FROM users WHERE user_id IS NULL OR user_id = '')
     + (SELECT COUNT(*) FROM songs WHERE song_id IS NULL OR song_id = '')
     + (SELECT COUNT(*) FROM artists WHERE artist_id IS NULL OR artist_id = '')
     + (SELECT COUNT(*) FROM time WHERE start_time IS NULL)

-- name: 03 every songplay's user is in users
SELECT COUNT(*) FROM songplays p LEFT JOIN users u ON u.user_id = p.user_id WHERE u.user_id IS NULL

-- name: 04 every songplay's start_time is in time
SELECT COUNT(*) FROM songplays p LEFT JOIN time t ON t.start_time = p.start_time WHERE t.start_time IS NULL

-- name: 05 every matched songplay's song and artist exist
SELECT COUNT(*)
FROM songplays p
LEFT JOIN songs s ON s.song_id = p.song_id
LEFT JOIN artists a ON a.artist_id = p.artist_id
WHERE (p.song_id IS NOT NULL AND s.song_id IS NULL) OR (p.artist_id IS NOT NULL AND a.artist_id IS NULL)

-- name: 06 no duplicate keys
SELECT (SELECT COUNT(*) FROM (SELECT user_id FROM users GROUP BY user_id HAVING COUNT(*) > 1) d)
     + (SELECT COUNT(*) FROM (SELECT song_id FROM songs GROUP BY song_id HAVING COUNT(*) > 1) d)
     + (SELECT COUNT(*) FROM (SELECT artist_id FROM artists GROUP BY artist_id HAVING COUNT(*) > 1) d)
     + (SELECT COUNT(*) FROM (SELECT start_time FROM time GROUP BY start_time HAVING COUNT(*) > 1) d)
     + (SELECT COUNT(*) FROM (SELECT songplay_id FROM songplays GROUP BY songplay_id HAVING COUNT(*) > 1) d)

-- name: 07 songplays equal the NextSong events staged
SELECT ABS((SELECT COUNT(*) FROM songplays) - (SELECT COUNT(*) FROM staging_events WHERE page = 'NextSong'))
