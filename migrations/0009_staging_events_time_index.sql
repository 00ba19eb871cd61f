-- PostgreSQL: staging events are found by their time (ts, milliseconds since the epoch)
-- through block ranges, as they are by file id (0005).
--
-- The daily checks compare a day's songplays with the day's NextSong events staged
-- (Check/checks.sql, 07), and before this read every staged event for it: 208 ms for one
-- day among a million events, growing with history, against 29 ms with this index. A day's
-- file holds that day's events and files are loaded day after day, so each block range
-- covers a short span of time; a file loaded out of order widens a few ranges, never the
-- answer. The load pays almost nothing; the transform summarises the ranges that loads
-- filled (Transform/99_finish.sql).

-- migrate:up
-- dwh:postgres
CREATE INDEX staging_events_ts_idx ON staging_events USING brin (ts);
-- dwh:end

-- migrate:down
-- dwh:postgres
DROP INDEX staging_events_ts_idx;
-- dwh:end
