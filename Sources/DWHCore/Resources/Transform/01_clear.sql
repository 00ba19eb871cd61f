-- The star schema is rebuilt from staging, all of it, in the transaction that fills it
-- again: a transform run twice, or after an incremental load, leaves no duplicates, and
-- a failed one leaves the previous state. Fact first, for the foreign keys.
-- dwh:postgres
TRUNCATE songplays, time, users, songs, artists;
-- Fresh statistics on staging, which a load has just refilled: with stale ones the
-- planner can pick a nested loop over a million events.
ANALYZE staging_events, staging_songs;
-- dwh:end
-- dwh:redshift
-- TRUNCATE commits at once on Redshift; DELETE stays inside the transaction.
DELETE FROM songplays;
DELETE FROM time;
DELETE FROM users;
DELETE FROM songs;
DELETE FROM artists;
-- dwh:end
