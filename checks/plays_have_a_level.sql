-- check: plays_have_a_level
-- description: Every play of the day says whether its user was on the free or the paid level.
-- severity: error
-- param: run_start timestamp
-- param: run_end timestamp
-- A check returns the rows that break its rule, and passes when there are none. dwh run
-- and `dwh check --date D` bind run_start and run_end to the day; `dwh check` to all time.
SELECT songplay_id, user_id, start_time, level
FROM songplays
WHERE start_time >= $1::timestamp AND start_time < $2::timestamp
  AND (level IS NULL OR level NOT IN ('free', 'paid'))
ORDER BY start_time;
