-- name: plays_by_hour
-- title: Plays by hour of the day
-- description: Every play by hour of the day (0-23, in the time zone of start_time).
-- param: since timestamp = 2018-01-01
SELECT CAST(EXTRACT(hour FROM start_time) AS int) AS hour,
       count(*) AS plays
FROM songplays
WHERE start_time >= $1::timestamp
GROUP BY 1
ORDER BY hour;
