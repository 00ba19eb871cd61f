-- name: plays_per_day
-- title: Plays per day
-- description: Every play by calendar day of start_time, with that day's listeners: the trend over the period. Days without a play are left out.
-- param: since timestamp = 2018-01-01
SELECT TO_CHAR(start_time, 'YYYY-MM-DD') AS day,
       count(*) AS plays,
       count(DISTINCT user_id) AS listeners
FROM songplays
WHERE start_time >= $1::timestamp
GROUP BY 1
ORDER BY day;
