-- The batch's new tracks, with their display names (the logged ones, or their repair from
-- dwh_name_repairs) and their catalogue match (30_songs.sql), else no song_id and artist_id.
-- A track's id is given here, once.
INSERT INTO tracks (logged_artist, logged_title, length, artist, title, song_id, artist_id)
SELECT n.artist, n.song, n.length, COALESCE(ra.repaired, n.artist), COALESCE(rs.repaired, n.song), m.song_id, m.artist_id
FROM dwh_new_tracks n
LEFT JOIN dwh_song_matches m ON m.title = n.song AND m.artist_name = n.artist AND m.duration = n.length
LEFT JOIN dwh_name_repairs ra ON ra.logged = n.artist
LEFT JOIN dwh_name_repairs rs ON rs.logged = n.song;
