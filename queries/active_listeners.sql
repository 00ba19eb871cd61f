-- name: active_listeners
-- title: The most active listeners and their favourites
-- description: The listeners with the most plays, with their level now, how many artists they play, their favourite artist and how often they play it.
-- param: limit int = 10
WITH totals AS (
    SELECT user_id, SUM(plays) AS plays, count(*) AS artists FROM listener_artists GROUP BY user_id
),
favourites AS (
    SELECT user_id, artist, plays
    FROM (SELECT user_id, artist, plays, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY plays DESC, artist) AS pick
          FROM listener_taste) ranked
    WHERE pick = 1
)
SELECT t.user_id, u.first_name, u.level, t.plays, t.artists, f.artist AS favourite_artist, f.plays AS favourite_plays
FROM totals t
LEFT JOIN users u ON u.user_id = t.user_id
LEFT JOIN favourites f ON f.user_id = t.user_id
ORDER BY t.plays DESC, t.user_id
LIMIT $1::int;
