-- A full rebuild keeps the tracks (and their ids) but has matched the songs again
-- (30_songs.sql): each kept track takes its match now, or none.
UPDATE tracks
SET song_id = m.song_id, artist_id = m.artist_id
FROM (
    SELECT t.track_id, m.song_id, m.artist_id
    FROM tracks t
    LEFT JOIN dwh_song_matches m ON m.title = t.logged_title AND m.artist_name = t.logged_artist AND m.duration = t.length
) m
WHERE tracks.track_id = m.track_id
  AND (COALESCE(tracks.song_id, '') <> COALESCE(m.song_id, '') OR COALESCE(tracks.artist_id, '') <> COALESCE(m.artist_id, ''));
