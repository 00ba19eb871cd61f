-- name: top_users
-- title: The listeners with the most plays
-- description: The listeners with the most plays (every play), with their current level.
-- param: limit int = 10
-- param: since timestamp = 2018-01-01
SELECT sp.user_id,
       u.first_name,
       u.last_name,
       u.level,
       count(*) AS plays
FROM songplays sp
LEFT JOIN users u ON u.user_id = sp.user_id
WHERE sp.start_time >= $2::timestamp
GROUP BY sp.user_id, u.first_name, u.last_name, u.level
ORDER BY plays DESC, sp.user_id
LIMIT $1::int;
