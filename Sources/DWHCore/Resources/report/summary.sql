-- What the top of a report states: the period covered, the totals and how many plays
-- matched a song of the catalogue. $1 is the report's `since` (NULL: every play).

-- name: summary
SELECT MIN(start_time) AS first_play,
       MAX(start_time) AS last_play,
       COUNT(*) AS plays,
       COUNT(DISTINCT user_id) AS listeners,
       SUM(CASE WHEN level = 'paid' THEN 1 ELSE 0 END) AS paid_plays,
       SUM(CASE WHEN song_id IS NOT NULL THEN 1 ELSE 0 END) AS matched_plays
FROM songplays
WHERE $1::timestamp IS NULL OR start_time >= $1::timestamp
