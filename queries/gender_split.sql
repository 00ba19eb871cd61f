-- name: gender_split
-- title: Plays by gender
-- description: Every play by the listener's gender, with listeners and share of plays.
-- param: since timestamp = 2018-01-01
SELECT u.gender,
       count(*) AS plays,
       count(DISTINCT sp.user_id) AS listeners,
       ROUND(100.0 * count(*) / sum(count(*)) OVER (), 1) AS "percent"  -- quoted: PERCENT is reserved on Redshift
FROM songplays sp
LEFT JOIN users u ON u.user_id = sp.user_id
WHERE sp.start_time >= $1::timestamp
GROUP BY u.gender
ORDER BY plays DESC, u.gender;
