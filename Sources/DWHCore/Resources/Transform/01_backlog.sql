-- What there is to do: files not transformed yet, per staging table; files whose star rows
-- must go (replaced by a load since), per table; whether any file was transformed at all
-- (while none was, the transform rebuilds everything); and whether changes of plays wait
-- for the listener tables (left by a transform that put them off).
SELECT (SELECT COUNT(*) FROM dwh_loaded_files WHERE transformed_at IS NULL AND table_name = 'staging_events'),
       (SELECT COUNT(*) FROM dwh_loaded_files WHERE transformed_at IS NULL AND table_name = 'staging_songs'),
       (SELECT COUNT(*) FROM dwh_transform_removed WHERE table_name = 'staging_events'),
       (SELECT COUNT(*) FROM dwh_transform_removed WHERE table_name = 'staging_songs'),
       (SELECT COUNT(*) FROM (SELECT file_id FROM dwh_loaded_files WHERE transformed_at IS NOT NULL LIMIT 1) transformed),
       (SELECT COUNT(*) FROM (SELECT user_id FROM dwh_pending_play_changes LIMIT 1) pending);
