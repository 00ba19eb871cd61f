-- The batch's tracks (artist, song and length as logged) that are not in tracks yet, and
-- the names among theirs that may have been encoded twice: not ASCII and not repaired
-- before. dwh repairs those (NameRepair) and records each repaired one with
-- name_repair.sql, before 57_tracks.sql writes the tracks with their display names.
CREATE TEMP TABLE dwh_new_tracks AS
SELECT b.artist, b.song, b.length
FROM (
    SELECT DISTINCT artist, song, length
    FROM dwh_batch_events
    WHERE page = 'NextSong' AND artist IS NOT NULL AND song IS NOT NULL AND length IS NOT NULL
) b
WHERE NOT EXISTS (SELECT 1 FROM tracks t
                  WHERE t.logged_artist = b.artist AND t.logged_title = b.song AND t.length = b.length);

SELECT name
FROM (SELECT artist AS name FROM dwh_new_tracks UNION SELECT song FROM dwh_new_tracks) names
WHERE OCTET_LENGTH(name) > LENGTH(name)
  AND NOT EXISTS (SELECT 1 FROM dwh_name_repairs r WHERE r.logged = names.name)
ORDER BY name;
