-- A full rebuild keeps the tracks (and their ids) but has matched the songs again
-- (30_songs.sql): each kept track takes its match now, or none. (Two statements: Redshift
-- takes no outer join in an UPDATE's FROM.)
UPDATE tracks
SET song_id = m.song_id, artist_id = m.artist_id
FROM dwh_song_matches m
WHERE m.title = tracks.logged_title AND m.artist_name = tracks.logged_artist AND m.duration = tracks.length
  AND (COALESCE(tracks.song_id, '') <> m.song_id OR COALESCE(tracks.artist_id, '') <> COALESCE(m.artist_id, ''));
UPDATE tracks
SET song_id = NULL, artist_id = NULL
WHERE (song_id IS NOT NULL OR artist_id IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM dwh_song_matches m
                  WHERE m.title = tracks.logged_title AND m.artist_name = tracks.logged_artist AND m.duration = tracks.length);
