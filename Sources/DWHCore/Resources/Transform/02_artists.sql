-- One row per artist_id. When songs disagree on an artist's name, the name most of its
-- songs give wins; ties go to the shortest name, then the first in sort order. Location
-- and coordinates come from the same song as the name.
INSERT INTO artists (artist_id, name, location, latitude, longitude)
SELECT artist_id, artist_name, artist_location, artist_latitude, artist_longitude
FROM (
    SELECT artist_id, artist_name, artist_location, artist_latitude, artist_longitude,
           ROW_NUMBER() OVER (PARTITION BY artist_id
                              ORDER BY name_count DESC, LENGTH(artist_name), artist_name, song_id) AS pick
    FROM (
        SELECT artist_id, artist_name, artist_location, artist_latitude, artist_longitude, song_id,
               COUNT(*) OVER (PARTITION BY artist_id, artist_name) AS name_count
        FROM staging_songs
        WHERE artist_id IS NOT NULL
    ) counted
) ranked
WHERE pick = 1;
