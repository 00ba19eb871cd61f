-- name: plays_per_listener
-- title: How much listeners play
-- description: Listeners by how many plays they have (every play), in bands from 1 to 500 and more, with the plays of each band and its share of all plays.
-- param: since timestamp = 2018-01-01
WITH counts AS (
    SELECT user_id, count(*) AS plays FROM songplays WHERE start_time >= $1::timestamp GROUP BY user_id
),
banded AS (
    SELECT CASE WHEN plays < 2 THEN 1 WHEN plays < 5 THEN 2 WHEN plays < 10 THEN 3 WHEN plays < 20 THEN 4
                WHEN plays < 50 THEN 5 WHEN plays < 100 THEN 6 WHEN plays < 200 THEN 7 WHEN plays < 500 THEN 8
                ELSE 9 END AS band,
           plays
    FROM counts
)
SELECT CASE band WHEN 1 THEN '1' WHEN 2 THEN '2-4' WHEN 3 THEN '5-9' WHEN 4 THEN '10-19' WHEN 5 THEN '20-49'
                 WHEN 6 THEN '50-99' WHEN 7 THEN '100-199' WHEN 8 THEN '200-499' ELSE '500+' END AS plays_each,
       count(*) AS listeners,
       sum(plays) AS plays,
       ROUND(100.0 * sum(plays) / sum(sum(plays)) OVER (), 1) AS "percent"  -- quoted: PERCENT is reserved on Redshift
FROM banded
GROUP BY band
ORDER BY band;
