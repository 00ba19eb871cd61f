-- One row per distinct songplay start time; ts is epoch milliseconds. weekday: 0 = Sunday;
-- week: the ISO week. time grows with history: a start time already there is skipped by its
-- key on PostgreSQL, one index probe per new time rather than a scan of all times (and no
-- key to probe during a full rebuild, which starts empty).
INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT start_time,
       EXTRACT(hour FROM start_time), EXTRACT(day FROM start_time), EXTRACT(week FROM start_time),
       EXTRACT(month FROM start_time), EXTRACT(year FROM start_time), EXTRACT(dow FROM start_time)
FROM (
    SELECT DISTINCT TIMESTAMP 'epoch' + ts / 1000.0 * INTERVAL '1 second' AS start_time
    FROM dwh_batch_events
    WHERE page = 'NextSong'
) plays
-- dwh:postgres
-- In time order, as songplays are (60_songplays.sql): DISTINCT's order is the hash table's.
ORDER BY start_time
ON CONFLICT DO NOTHING;
-- dwh:end
-- dwh:redshift
WHERE NOT EXISTS (SELECT 1 FROM time t WHERE t.start_time = plays.start_time);
-- dwh:end
