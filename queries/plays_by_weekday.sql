-- name: plays_by_weekday
-- title: Plays by day of the week
-- description: Every play by day of the week, Monday first.
-- param: since timestamp = 2018-01-01
SELECT CASE CAST(EXTRACT(dow FROM start_time) AS int)
           WHEN 1 THEN 'Monday' WHEN 2 THEN 'Tuesday' WHEN 3 THEN 'Wednesday'
           WHEN 4 THEN 'Thursday' WHEN 5 THEN 'Friday' WHEN 6 THEN 'Saturday'
           ELSE 'Sunday'
       END AS weekday,
       count(*) AS plays
FROM songplays
WHERE start_time >= $1::timestamp
GROUP BY CAST(EXTRACT(dow FROM start_time) AS int)
ORDER BY (CAST(EXTRACT(dow FROM start_time) AS int) + 6) % 7;
