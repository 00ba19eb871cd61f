-- An incremental run: the batch is the files not transformed yet, and the steps that follow
-- turn only their rows into star rows.
CREATE TEMP TABLE dwh_batch_files AS
SELECT file_id, table_name FROM dwh_loaded_files WHERE transformed_at IS NULL;

-- The batch's events, read once. File ids grow with each load: the lower bound lets the
-- file_id index skip the history before the batch.
-- dwh:postgres
-- Block ranges that loads have filled since are summarised by VACUUM, which may not have run
-- yet, and until then the index cannot skip them. Summarising the new ones costs about what
-- they hold (measured: 17 ms instead of 287 ms to find a day among a million events).
SELECT brin_summarize_new_values('staging_events_file_id_idx');
-- dwh:end
CREATE TEMP TABLE dwh_batch_events AS
SELECT e.*
FROM staging_events e
WHERE e.file_id >= (SELECT MIN(file_id) FROM dwh_batch_files)
  AND e.file_id IN (SELECT file_id FROM dwh_batch_files WHERE table_name = 'staging_events');

-- The events that decide users: the batch's with a user id (20_remove.sql may add more).
CREATE TEMP TABLE dwh_user_events AS
SELECT user_id, first_name, last_name, gender, level, ts, item_in_session, file_id, line_number
FROM dwh_batch_events
WHERE user_id <> '';
CREATE TEMP TABLE dwh_users_rescanned (user_id varchar(32));

-- The tracks whose plays 20_remove.sql removed. (The plays added and removed, per listener
-- and artist, go to dwh_pending_play_changes for 65_listeners.sql.)
CREATE TEMP TABLE dwh_removed_tracks (track_id bigint);
