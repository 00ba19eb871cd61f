-- One row per NextSong event, never dropped, naming the event it comes from (file_id,
-- line_number). song_id and artist_id come from the event's match (30_songs.sql), else NULL.
-- dwh:postgres
-- Each play's foreign keys are checked with plans made from the dimensions' statistics. A
-- dimension analysed while (nearly) empty and filled since, as on a first day, would be
-- checked with a scan per play (measured: 1.32 s instead of 0.65 s for 26,000 plays), so
-- one that has grown past twice the pages its statistics know is analysed first. In a
-- steady daily run none has; in a full rebuild the keys are not there yet, so none is.
DO $$
DECLARE
    dimension regclass;
BEGIN
    FOR dimension IN
        SELECT c.oid::regclass FROM pg_class c
        WHERE c.oid IN ('users'::regclass, 'time'::regclass, 'songs'::regclass, 'artists'::regclass)
          AND c.oid IN (SELECT confrelid FROM pg_constraint WHERE conrelid = 'songplays'::regclass AND contype = 'f')
          AND pg_relation_size(c.oid) / current_setting('block_size')::integer > 2 * GREATEST(c.relpages, 1)
    LOOP
        EXECUTE format('ANALYZE %s', dimension);
    END LOOP;
END
$$;
-- dwh:end
INSERT INTO songplays (start_time, user_id, level, song_id, artist_id, session_id, location, user_agent,
                       file_id, line_number)
SELECT TIMESTAMP 'epoch' + e.ts / 1000.0 * INTERVAL '1 second',
       e.user_id, e.level, m.song_id, m.artist_id, e.session_id, e.location, e.user_agent, e.file_id, e.line_number
FROM dwh_batch_events e
LEFT JOIN dwh_song_matches m ON m.title = e.song AND m.artist_name = e.artist AND m.duration = e.length
WHERE e.page = 'NextSong';
