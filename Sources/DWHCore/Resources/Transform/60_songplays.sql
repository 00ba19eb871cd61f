-- One row per NextSong event, never dropped, naming the event it comes from (file_id,
-- line_number). song_id and artist_id come from the event's match (30_songs.sql), else NULL.
INSERT INTO songplays (start_time, user_id, level, song_id, artist_id, session_id, location, user_agent,
                       file_id, line_number)
SELECT TIMESTAMP 'epoch' + e.ts / 1000.0 * INTERVAL '1 second',
       e.user_id, e.level, m.song_id, m.artist_id, e.session_id, e.location, e.user_agent, e.file_id, e.line_number
FROM dwh_batch_events e
LEFT JOIN dwh_song_matches m ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length
WHERE e.page = 'NextSong';
