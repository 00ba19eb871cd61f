-- name: top_artists
-- title: The most played artists
-- description: The most played artists, every play counted by the artist name the app logged (names repaired where they were encoded twice), with the catalogue's artist_id where a play matched it; matched=only counts only the plays matched to the song catalogue, by the catalogue's artist.
-- param: limit int = 10
-- param: since timestamp = 2018-01-01
-- param: matched all|only = all
SELECT artist, plays, listeners, artist_id
FROM (
    SELECT t.artist,
           count(*) AS plays,
           count(DISTINCT sp.user_id) AS listeners,
           min(t.artist_id) AS artist_id
    FROM songplays sp
    JOIN tracks t ON t.track_id = sp.track_id
    WHERE sp.start_time >= $2::timestamp AND $3::text = 'all'
    GROUP BY t.artist
    UNION ALL
    SELECT a.name,
           count(*),
           count(DISTINCT sp.user_id),
           a.artist_id
    FROM songplays sp
    JOIN artists a ON a.artist_id = sp.artist_id
    WHERE sp.start_time >= $2::timestamp AND $3::text = 'only'
    GROUP BY a.artist_id, a.name
) counted
ORDER BY plays DESC, artist, artist_id
LIMIT $1::int;
