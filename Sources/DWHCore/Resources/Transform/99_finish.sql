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
DROP TABLE IF EXISTS dwh_play_changes;
DROP TABLE IF EXISTS dwh_songplay_mark;
DROP TABLE IF EXISTS dwh_removed_tracks;
DROP TABLE IF EXISTS dwh_new_tracks;
DROP TABLE IF EXISTS dwh_listener_changes;
DROP TABLE IF EXISTS dwh_new_taste;
DROP TABLE IF EXISTS dwh_shrunk_listeners;
DROP TABLE IF EXISTS dwh_old_taste;
DROP TABLE IF EXISTS dwh_taste_users;
DROP TABLE IF EXISTS dwh_taste_vectors;
DROP TABLE IF EXISTS dwh_pair_changes;
DROP TABLE IF EXISTS dwh_artist_changes;
DROP TABLE IF EXISTS dwh_neighbour_artists;
-- dwh:end
