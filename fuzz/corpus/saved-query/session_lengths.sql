-- name: session_lengths
-- description: The longest listening sessions: plays per session and minutes from first to last play.
-- param: limit int = 10
SELECT session_id,
       user_id,
       min(start_time) AS started,
       ROUND(CAST(EXTRACT(epoch FROM max(start_time) - min(start_time)) / 60 AS numeric), 1) AS minutes,
       count(*) AS plays
FROM songplays
GROUP BY session_id, user_id
ORDER BY plays DESC, minutes DESC, session_id, user_id
LIMIT $1::int;
