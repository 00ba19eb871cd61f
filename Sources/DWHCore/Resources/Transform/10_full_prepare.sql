-- A full rebuild: the star schema and the transform's bookkeeping are emptied, then filled
-- again from all of staging by the steps that follow, in one transaction: a failure leaves
-- the previous state. The steps read the batch (dwh_batch_events, dwh_user_events), which
-- here is all of staging.
-- dwh:postgres
-- Fresh statistics on staging, which a load has just filled: with stale ones the planner
-- can pick a nested loop over a million events.
ANALYZE staging_events, staging_songs;

-- Keys, indexes and foreign keys go while the tables fill and come back at the end
-- (90_full_finish.sql), as pg_restore does: building each once costs far less than
-- checking and maintaining them row by row. Their definitions are read from the catalog,
-- so whatever the migrations made (and whatever a user added) is made again exactly.
-- position orders the restore: keys, then indexes, then foreign keys; removal goes backwards.
CREATE TEMP TABLE dwh_star_ddl (position integer, restore text, remove text);
INSERT INTO dwh_star_ddl (position, restore, remove)
SELECT CASE WHEN c.contype = 'f' THEN 3 ELSE 1 END,
       format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)),
       format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname)
FROM pg_constraint c
WHERE c.contype IN ('p', 'u', 'f')
  AND (c.conrelid IN ('songplays'::regclass, 'users'::regclass, 'songs'::regclass, 'artists'::regclass, 'time'::regclass,
                      'listener_artists'::regclass, 'listener_taste'::regclass, 'artist_pairs'::regclass,
                      'artist_stats'::regclass, 'artist_neighbours'::regclass)
       OR c.confrelid IN ('songplays'::regclass, 'users'::regclass, 'songs'::regclass, 'artists'::regclass, 'time'::regclass));
INSERT INTO dwh_star_ddl (position, restore, remove)
SELECT 2, pg_get_indexdef(i.indexrelid), format('DROP INDEX %s', i.indexrelid::regclass)
FROM pg_index i
WHERE i.indrelid IN ('songplays'::regclass, 'users'::regclass, 'songs'::regclass, 'artists'::regclass, 'time'::regclass,
                     'listener_artists'::regclass, 'listener_taste'::regclass, 'artist_pairs'::regclass, 'artist_stats'::regclass,
                     'artist_neighbours'::regclass)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u'));
DO $$
DECLARE
    statement text;
BEGIN
    FOR statement IN SELECT remove FROM dwh_star_ddl ORDER BY position DESC LOOP
        EXECUTE statement;
    END LOOP;
END
$$;

-- Tracks stay (their ids are kept; 90_full_finish.sql removes those no play refers to), and so
-- do the names repaired; the listener tables are built again from the plays.
TRUNCATE songplays, time, users, songs, artists, dwh_user_levels, dwh_song_matches,
         listener_artists, listener_taste, artist_pairs, artist_stats, artist_neighbours;
CREATE TEMP VIEW dwh_batch_events AS SELECT * FROM staging_events;
-- dwh:end
-- dwh:redshift
-- TRUNCATE commits at once on Redshift; DELETE stays inside the transaction.
DELETE FROM songplays;
DELETE FROM time;
DELETE FROM users;
DELETE FROM songs;
DELETE FROM artists;
DELETE FROM dwh_user_levels;
DELETE FROM dwh_song_matches;
DELETE FROM listener_artists;
DELETE FROM listener_taste;
DELETE FROM artist_pairs;
DELETE FROM artist_stats;
DELETE FROM artist_neighbours;
-- Redshift has no temporary views: the batch is a copy.
CREATE TEMP TABLE dwh_batch_events AS SELECT * FROM staging_events;
-- dwh:end

-- The events that decide users: all of them with a user id.
-- dwh:postgres
CREATE TEMP VIEW dwh_user_events AS
-- dwh:end
-- dwh:redshift
CREATE TEMP TABLE dwh_user_events AS
-- dwh:end
SELECT user_id, first_name, last_name, gender, level, ts, item_in_session, file_id, line_number
FROM staging_events
WHERE user_id <> '';
CREATE TEMP TABLE dwh_users_rescanned (user_id varchar(32));

-- The listener tables are built again from all the plays (60_songplays.sql), so no change
-- left waiting by an earlier transform counts; and the tracks whose plays were removed
-- (none in a rebuild).
DELETE FROM dwh_pending_play_changes;
CREATE TEMP TABLE dwh_removed_tracks (track_id bigint);
