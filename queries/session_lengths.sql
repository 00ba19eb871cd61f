-- name: session_lengths
-- title: The longest listening sessions
-- description: The longest listening sessions: plays per session and minutes from first to last play.
-- param: limit int = 10
-- param: since timestamp = 2018-01-01
SELECT session_id,
       user_id,
       min(start_time) AS started,
       -- Seconds apart, over 60.0: EXTRACT returns an integer on Redshift, and an integer
       -- divided by 60 would drop the fraction of a minute there. (Redshift's epochs are
       -- whole seconds: a tenth of a minute is six.)
       ROUND((EXTRACT(epoch FROM max(start_time)) - EXTRACT(epoch FROM min(start_time))) / 60.0, 1) AS minutes,
       count(*) AS plays
FROM songplays
WHERE start_time >= $2::timestamp
GROUP BY session_id, user_id
ORDER BY plays DESC, minutes DESC, session_id, user_id
LIMIT $1::int;
