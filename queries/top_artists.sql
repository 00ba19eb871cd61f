-- name: top_artists
-- description: The most played artists (plays matched to an artist).
-- param: limit int = 10
-- param: since timestamp = 2018-01-01
SELECT a.name AS artist,
       count(*) AS plays,
       count(DISTINCT sp.user_id) AS listeners
FROM songplays sp
JOIN artists a ON a.artist_id = sp.artist_id
WHERE sp.start_time >= $2::timestamp
GROUP BY a.artist_id, a.name
ORDER BY plays DESC, artist
LIMIT $1::int;
