-- name: songplays_with_users
-- description: Benchmark: songplays joined to users, the first N plays (the cursor path, as it has a parameter).
-- param: limit int = 1000000
SELECT sp.songplay_id, sp.start_time, sp.user_id, u.first_name, u.last_name, u.gender,
       sp.level, sp.song_id, sp.artist_id, sp.session_id, sp.location, sp.user_agent
FROM songplays sp
JOIN users u ON u.user_id = sp.user_id
ORDER BY sp.songplay_id
LIMIT $1::int;
