-- One row per NextSong event, never dropped. song_id and artist_id are set when the
-- event's song, artist and length equal one song's title, artist_name and duration (the
-- first song_id when several do), else NULL.
-- dwh:postgres
-- Statistics first: after the TRUNCATE the planner takes the dimensions for empty and
-- would check each of songplays' foreign keys with a sequential scan, row after row.
ANALYZE artists, songs, users, time;
-- dwh:end
INSERT INTO songplays (start_time, user_id, level, song_id, artist_id, session_id, location, user_agent)
SELECT TIMESTAMP 'epoch' + e.ts / 1000.0 * INTERVAL '1 second',
       e.user_id, e.level, s.song_id, s.artist_id, e.session_id, e.location, e.user_agent
FROM staging_events e
LEFT JOIN (
    SELECT song_id, artist_id, title, artist_name, duration,
           ROW_NUMBER() OVER (PARTITION BY title, artist_name, duration ORDER BY song_id) AS pick
    FROM staging_songs
    WHERE song_id IS NOT NULL
) s ON s.pick = 1 AND s.title = e.song AND s.artist_name = e.artist AND s.duration = e.length
WHERE e.page = 'NextSong';
