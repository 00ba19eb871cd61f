-- Tracks whose plays were removed (20_remove.sql) and that no play refers to any more, now
-- that the batch's plays are in.
DELETE FROM tracks
WHERE track_id IN (SELECT track_id FROM dwh_removed_tracks)
  AND NOT EXISTS (SELECT 1 FROM songplays p WHERE p.track_id = tracks.track_id);

-- The batch's files are now in the star schema, and the removed files' rows are gone: both
-- recorded in the transaction that wrote the star rows.
UPDATE dwh_loaded_files
-- dwh:postgres
SET transformed_at = now() AT TIME ZONE 'UTC'
-- dwh:end
-- dwh:redshift
SET transformed_at = SYSDATE
-- dwh:end
WHERE transformed_at IS NULL;
DELETE FROM dwh_transform_removed;

-- The block ranges of staged events that loads filled since are summarised for the index on
-- their time (migration 0009; none before it), which the checks after the transform use:
-- VACUUM may not have run, and until then the index cannot skip them.
-- dwh:postgres
SELECT brin_summarize_new_values(c.oid) FROM pg_class c
WHERE c.relname = 'staging_events_ts_idx' AND pg_table_is_visible(c.oid);
-- dwh:end

-- The run's temporary tables and views go with it.
-- dwh:postgres
DISCARD TEMP;
-- dwh:end
-- dwh:redshift
DROP TABLE IF EXISTS dwh_batch_files;
DROP TABLE IF EXISTS dwh_batch_events;
DROP TABLE IF EXISTS dwh_user_events;
DROP TABLE IF EXISTS dwh_users_rescanned;
DROP TABLE IF EXISTS dwh_removed_times;
DROP TABLE IF EXISTS dwh_new_artists;
DROP TABLE IF EXISTS dwh_new_songs;
DROP TABLE IF EXISTS dwh_new_matches;
DROP TABLE IF EXISTS dwh_changed_artists;
DROP TABLE IF EXISTS dwh_changed_songs;
DROP TABLE IF EXISTS dwh_changed_matches;
DROP TABLE IF EXISTS dwh_user_choice;
DROP TABLE IF EXISTS dwh_songplay_mark;
DROP TABLE IF EXISTS dwh_removed_tracks;
DROP TABLE IF EXISTS dwh_new_tracks;
-- dwh:end
