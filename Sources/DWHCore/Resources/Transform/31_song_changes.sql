-- After songs changed, on top of earlier runs: the plays and tracks whose match changed take
-- the new song (or none), keeping their songplay_id and track_id; then songs and artists no
-- longer in staging go.
UPDATE songplays
-- dwh:postgres
SET song_id = c.song_id, artist_id = c.artist_id
FROM staging_events e, dwh_changed_matches c
WHERE c.title = e.song AND c.artist_name = e.artist AND c.duration = e.length AND e.page = 'NextSong'
  AND songplays.file_id = e.file_id AND songplays.line_number = e.line_number;
-- dwh:end
-- dwh:redshift
-- Rows that Redshift's COPY staged have no line number, so a play is found through its track,
-- whose logged artist, title and length are its event's.
SET song_id = c.song_id, artist_id = c.artist_id
FROM tracks t, dwh_changed_matches c
WHERE songplays.track_id = t.track_id
  AND c.title = t.logged_title AND c.artist_name = t.logged_artist AND c.duration = t.length;
-- dwh:end
UPDATE tracks
SET song_id = c.song_id, artist_id = c.artist_id
FROM dwh_changed_matches c
WHERE c.title = tracks.logged_title AND c.artist_name = tracks.logged_artist AND c.duration = tracks.length;
DELETE FROM songs WHERE NOT EXISTS (SELECT 1 FROM dwh_new_songs n WHERE n.song_id = songs.song_id);
DELETE FROM artists WHERE NOT EXISTS (SELECT 1 FROM dwh_new_artists n WHERE n.artist_id = artists.artist_id);
