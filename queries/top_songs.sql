-- name: top_songs
-- description: The most played songs, with their artist (plays matched to a song).
-- param: limit int = 10
-- param: since timestamp = 2018-01-01
SELECT s.title AS song,
       a.name AS artist,
       count(*) AS plays
FROM songplays sp
JOIN songs s ON s.song_id = sp.song_id
LEFT JOIN artists a ON a.artist_id = s.artist_id
WHERE sp.start_time >= $2::timestamp
GROUP BY s.song_id, s.title, a.name
ORDER BY plays DESC, song, artist
LIMIT $1::int;
