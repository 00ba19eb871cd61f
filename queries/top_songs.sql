-- name: top_songs
-- title: The most played songs
-- description: The most played songs with their artist, every play counted by the title and artist the app logged (names repaired where they were encoded twice), with the catalogue's song_id and artist_id where a play matched; matched=only counts only the plays matched to the song catalogue, by the catalogue's song.
-- param: limit int = 10
-- param: since timestamp = 2018-01-01
-- param: matched all|only = all
SELECT song, artist, plays, song_id, artist_id
FROM (
    SELECT t.title AS song,
           t.artist,
           count(*) AS plays,
           min(t.song_id) AS song_id,
           min(t.artist_id) AS artist_id
    FROM songplays sp
    JOIN tracks t ON t.track_id = sp.track_id
    WHERE sp.start_time >= $2::timestamp AND $3::text = 'all'
    GROUP BY t.title, t.artist
    UNION ALL
    SELECT s.title,
           a.name,
           count(*),
           s.song_id,
           s.artist_id
    FROM songplays sp
    JOIN songs s ON s.song_id = sp.song_id
    LEFT JOIN artists a ON a.artist_id = s.artist_id
    WHERE sp.start_time >= $2::timestamp AND $3::text = 'only'
    GROUP BY s.song_id, s.title, s.artist_id, a.name
) counted
ORDER BY plays DESC, song, artist, song_id
LIMIT $1::int;
