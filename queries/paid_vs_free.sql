-- name: paid_vs_free
-- title: Paid and free plays
-- description: Every play by the listener's level at the time (paid or free), with listeners and share of plays.
-- param: since timestamp = 2018-01-01
SELECT level,
       count(*) AS plays,
       count(DISTINCT user_id) AS listeners,
       ROUND(100.0 * count(*) / sum(count(*)) OVER (), 1) AS "percent"  -- quoted: PERCENT is reserved on Redshift
FROM songplays
WHERE start_time >= $1::timestamp
GROUP BY level
ORDER BY plays DESC, level;
