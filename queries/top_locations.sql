-- name: top_locations
-- title: Where people listen most
-- description: Where people listen most: every play, by the listener's location.
-- param: limit int = 10
-- param: since timestamp = 2018-01-01
SELECT location,
       count(*) AS plays,
       count(DISTINCT user_id) AS listeners
FROM songplays
WHERE start_time >= $2::timestamp
GROUP BY location
ORDER BY plays DESC, location
LIMIT $1::int;
