-- Artists, songs and the song each (title, artist name, duration) matches are computed
-- from all of staging_songs, then only what differs from the tables is written. This step
-- runs when song files were added or replaced: its cost follows the catalogue. (Re-matching
-- the plays whose match changed, 31_song_changes.sql, reads the staged events as well.)

-- One row per artist_id. When songs disagree on an artist's name, the name most of its
-- songs give wins; ties go to the shortest name, then the first in sort order. Location
-- and coordinates come from the same song as the name (the lowest song_id giving it, then
-- the first location and coordinates in sort order). Every choice here and below is made
-- by values, never by which file was loaded when: any order of loads gives the same rows.
CREATE TEMP TABLE dwh_new_artists AS
SELECT artist_id, artist_name AS name, artist_location AS location, artist_latitude AS latitude,
       artist_longitude AS longitude
FROM (
    SELECT artist_id, artist_name, artist_location, artist_latitude, artist_longitude,
           ROW_NUMBER() OVER (PARTITION BY artist_id
                              ORDER BY name_count DESC, LENGTH(artist_name), artist_name, song_id,
                                       artist_location, artist_latitude, artist_longitude) AS pick
    FROM (
        SELECT artist_id, artist_name, artist_location, artist_latitude, artist_longitude, song_id,
               file_id, line_number, COUNT(*) OVER (PARTITION BY artist_id, artist_name) AS name_count
        FROM staging_songs
        WHERE artist_id IS NOT NULL
    ) counted
) ranked
WHERE pick = 1;

-- One row per song_id; when files disagree on a song_id, the first by title, artist_id,
-- year and duration wins.
CREATE TEMP TABLE dwh_new_songs AS
SELECT song_id, title, artist_id, year, duration
FROM (
    SELECT song_id, title, artist_id, year, duration,
           ROW_NUMBER() OVER (PARTITION BY song_id ORDER BY title, artist_id, year, duration) AS pick
    FROM staging_songs
    WHERE song_id IS NOT NULL
) ranked
WHERE pick = 1;

-- A play's song: the one whose title, artist_name and duration equal the play's song,
-- artist and length; the lowest song_id when several do.
CREATE TEMP TABLE dwh_new_matches AS
SELECT title, artist_name, duration, song_id, artist_id
FROM (
    SELECT title, artist_name, duration, song_id, artist_id,
           ROW_NUMBER() OVER (PARTITION BY title, artist_name, duration
                              ORDER BY song_id, artist_id) AS pick
    FROM staging_songs
    WHERE song_id IS NOT NULL AND title IS NOT NULL AND artist_name IS NOT NULL AND duration IS NOT NULL
) ranked
WHERE pick = 1;

-- What differs (EXCEPT compares NULLs as equal) is updated in place, or inserted. Which rows
-- are new is decided before anything is written: a statement that inserts into a table
-- while it looks for the same rows in it can rescan its own new rows for each row. Rows no
-- longer in staging go in 31_song_changes.sql, once no play points at them.
CREATE TEMP TABLE dwh_changed_artists AS
SELECT changed.*, NOT EXISTS (SELECT 1 FROM artists a WHERE a.artist_id = changed.artist_id) AS is_new
FROM (SELECT artist_id, name, location, latitude, longitude FROM dwh_new_artists
      EXCEPT
      SELECT artist_id, name, location, latitude, longitude FROM artists) changed;
UPDATE artists
SET name = c.name, location = c.location, latitude = c.latitude, longitude = c.longitude
FROM dwh_changed_artists c
WHERE artists.artist_id = c.artist_id AND NOT c.is_new;
INSERT INTO artists (artist_id, name, location, latitude, longitude)
SELECT artist_id, name, location, latitude, longitude FROM dwh_changed_artists WHERE is_new;

CREATE TEMP TABLE dwh_changed_songs AS
SELECT changed.*, NOT EXISTS (SELECT 1 FROM songs s WHERE s.song_id = changed.song_id) AS is_new
FROM (SELECT song_id, title, artist_id, year, duration FROM dwh_new_songs
      EXCEPT
      SELECT song_id, title, artist_id, year, duration FROM songs) changed;
UPDATE songs
SET title = c.title, artist_id = c.artist_id, year = c.year, duration = c.duration
FROM dwh_changed_songs c
WHERE songs.song_id = c.song_id AND NOT c.is_new;
INSERT INTO songs (song_id, title, artist_id, year, duration)
SELECT song_id, title, artist_id, year, duration FROM dwh_changed_songs WHERE is_new;

-- Matches that are new or point at another song, and (song_id NULL) matches that are gone.
CREATE TEMP TABLE dwh_changed_matches AS
(SELECT title, artist_name, duration, song_id, artist_id FROM dwh_new_matches
 EXCEPT
 SELECT title, artist_name, duration, song_id, artist_id FROM dwh_song_matches)
UNION ALL
SELECT o.title, o.artist_name, o.duration, NULL, NULL
FROM dwh_song_matches o
WHERE NOT EXISTS (SELECT 1 FROM dwh_new_matches n
                  WHERE n.title = o.title AND n.artist_name = o.artist_name AND n.duration = o.duration);
DELETE FROM dwh_song_matches
WHERE EXISTS (SELECT 1 FROM dwh_changed_matches c
              WHERE c.title = dwh_song_matches.title AND c.artist_name = dwh_song_matches.artist_name
                AND c.duration = dwh_song_matches.duration);
INSERT INTO dwh_song_matches (title, artist_name, duration, song_id, artist_id)
SELECT title, artist_name, duration, song_id, artist_id FROM dwh_changed_matches WHERE song_id IS NOT NULL;
