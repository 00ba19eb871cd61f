-- One row per song_id; when a song_id comes twice, the most recently loaded file's wins.
INSERT INTO songs (song_id, title, artist_id, year, duration)
SELECT song_id, title, artist_id, year, duration
FROM (
    SELECT song_id, title, artist_id, year, duration,
           ROW_NUMBER() OVER (PARTITION BY song_id ORDER BY file_id DESC, title) AS pick
    FROM staging_songs
    WHERE song_id IS NOT NULL
) ranked
WHERE pick = 1;
