-- Files replaced since the last run take their star rows with them. (The new version of a
-- replaced file is in the batch and brings its rows back.)
CREATE TEMP TABLE dwh_removed_times AS
SELECT DISTINCT start_time FROM songplays WHERE file_id IN (SELECT file_id FROM dwh_transform_removed);
-- What the removed plays took from each listener's counts, and their tracks (kept while a
-- play refers to them: 99_finish.sql removes the others once the batch's plays are in).
INSERT INTO dwh_pending_play_changes (user_id, artist, plays)
SELECT p.user_id, t.artist, -COUNT(*)
FROM songplays p
JOIN tracks t ON t.track_id = p.track_id
WHERE p.file_id IN (SELECT file_id FROM dwh_transform_removed)
GROUP BY p.user_id, t.artist;
INSERT INTO dwh_removed_tracks (track_id)
SELECT DISTINCT track_id FROM songplays
WHERE file_id IN (SELECT file_id FROM dwh_transform_removed) AND track_id IS NOT NULL;
DELETE FROM songplays WHERE file_id IN (SELECT file_id FROM dwh_transform_removed);
DELETE FROM time
WHERE start_time IN (SELECT start_time FROM dwh_removed_times)
  AND NOT EXISTS (SELECT 1 FROM songplays p WHERE p.start_time = time.start_time);

-- A user whose deciding event was in a removed file is decided again from all the events
-- left (40_users.sql); one with none left goes.
INSERT INTO dwh_users_rescanned (user_id)
SELECT user_id FROM dwh_user_levels WHERE file_id IN (SELECT file_id FROM dwh_transform_removed);
DELETE FROM dwh_user_levels WHERE user_id IN (SELECT user_id FROM dwh_users_rescanned);
INSERT INTO dwh_user_events
SELECT user_id, first_name, last_name, gender, level, ts, item_in_session, file_id, line_number
FROM staging_events
WHERE user_id IN (SELECT user_id FROM dwh_users_rescanned);
