-- One row per NextSong event, never dropped, naming the event it comes from (file_id,
-- line_number) and its track (57_tracks.sql). song_id and artist_id are the track's match
-- (30_songs.sql), else NULL; a play without a logged artist, song or length has no track.
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
        WHERE c.oid IN ('users'::regclass, 'time'::regclass, 'songs'::regclass, 'artists'::regclass, 'tracks'::regclass)
          AND c.oid IN (SELECT confrelid FROM pg_constraint WHERE conrelid = 'songplays'::regclass AND contype = 'f')
          AND pg_relation_size(c.oid) / current_setting('block_size')::integer > 2 * GREATEST(c.relpages, 1)
    LOOP
        EXECUTE format('ANALYZE %s', dimension);
    END LOOP;
END
$$;
-- dwh:end
-- dwh:postgres
-- The last songplay_id before the batch's: the batch's plays are those after it.
CREATE TEMP TABLE dwh_songplay_mark AS SELECT COALESCE(MAX(songplay_id), -1) AS last_id FROM songplays;
-- dwh:end
INSERT INTO songplays (start_time, user_id, level, song_id, artist_id, session_id, location, user_agent,
                       file_id, line_number, track_id)
SELECT TIMESTAMP 'epoch' + e.ts / 1000.0 * INTERVAL '1 second',
       e.user_id, e.level, t.song_id, t.artist_id, e.session_id, e.location, e.user_agent, e.file_id, e.line_number,
       t.track_id
FROM dwh_batch_events e
LEFT JOIN tracks t ON t.logged_title = e.song AND t.logged_artist = e.artist AND t.length = e.length
WHERE e.page = 'NextSong'
-- dwh:postgres
-- In time order, so that a day's plays sit together and the index on start_time reads only
-- their pages: a join's order is its own (a full rebuild's hash join in batches scatters
-- the plays, and then every query of a day, as a day's checks are, reads all of them).
-- Redshift keeps its rows in SORTKEY order.
ORDER BY e.ts, e.file_id, e.line_number
-- dwh:end
;

-- What the batch's plays add to each listener's counts (65_listeners.sql, now or in a later
-- transform), by the track's display name for its artist.
INSERT INTO dwh_pending_play_changes (user_id, artist, plays)
-- dwh:postgres
SELECT p.user_id, t.artist, COUNT(*)
FROM songplays p
JOIN tracks t ON t.track_id = p.track_id
WHERE p.songplay_id > (SELECT last_id FROM dwh_songplay_mark)
GROUP BY p.user_id, t.artist;
-- dwh:end
-- dwh:redshift
-- Redshift's IDENTITY values are unique but not in order across slices, so no mark can tell
-- the batch's plays: they are counted from the batch's events, joined to their tracks as
-- the insert above joins them (a play without a track counts for no artist).
SELECT e.user_id, t.artist, COUNT(*)
FROM dwh_batch_events e
JOIN tracks t ON t.logged_title = e.song AND t.logged_artist = e.artist AND t.length = e.length
WHERE e.page = 'NextSong'
GROUP BY e.user_id, t.artist;
-- dwh:end
