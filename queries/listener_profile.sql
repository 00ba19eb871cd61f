-- name: listener_profile
-- title: One listener's profile
-- description: One listener in rows of facts: plays, first and last play, each level with its plays and period, favourite artists and songs, typical song length, hours of day and platforms. user_id empty: the most active listener.
-- param: user_id text =
WITH listener AS (
    SELECT CASE WHEN $1::text <> '' THEN $1::text
                ELSE (SELECT user_id FROM listener_artists GROUP BY user_id ORDER BY SUM(plays) DESC, user_id LIMIT 1)
           END AS user_id
),
plays AS (
    SELECT p.start_time, p.level, p.os, p.browser, t.artist, t.title, t.length
    FROM play_platforms p
    LEFT JOIN tracks t ON t.track_id = p.track_id
    WHERE p.user_id = (SELECT user_id FROM listener)
),
facts AS (
    SELECT 1 AS section, 1 AS position, 'plays' AS fact, CAST(count(*) AS varchar(32)) AS value, count(*) AS plays,
           'first ' || TO_CHAR(min(start_time), 'YYYY-MM-DD HH24:MI') || ', last ' || TO_CHAR(max(start_time), 'YYYY-MM-DD HH24:MI') AS detail
    FROM plays
    UNION ALL
    SELECT 2, CAST(ROW_NUMBER() OVER (ORDER BY min(start_time), level) AS int), 'level', level, count(*),
           'from ' || TO_CHAR(min(start_time), 'YYYY-MM-DD HH24:MI') || ' to ' || TO_CHAR(max(start_time), 'YYYY-MM-DD HH24:MI')
    FROM plays GROUP BY level
    UNION ALL
    SELECT 3, CAST(ROW_NUMBER() OVER (ORDER BY count(*) DESC, artist) AS int), 'favourite artist', artist, count(*), NULL
    FROM plays WHERE artist IS NOT NULL GROUP BY artist
    UNION ALL
    SELECT 4, CAST(ROW_NUMBER() OVER (ORDER BY count(*) DESC, title, artist) AS int), 'favourite song', title, count(*), 'by ' || artist
    FROM plays WHERE title IS NOT NULL GROUP BY title, artist
    UNION ALL
    SELECT 5, 1, 'typical song length', CAST(CAST(PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY length) AS decimal(10, 1)) AS varchar(32)),
           count(length), 'seconds (median); ' || CAST(CAST(min(length) AS decimal(10, 1)) AS varchar(32)) || ' to '
                          || CAST(CAST(max(length) AS decimal(10, 1)) AS varchar(32))
    FROM plays
    UNION ALL
    SELECT 6, CAST(ROW_NUMBER() OVER (ORDER BY count(*) DESC, CAST(EXTRACT(hour FROM start_time) AS int)) AS int), 'hour of day',
           CAST(CAST(EXTRACT(hour FROM start_time) AS int) AS varchar(32)) || ':00', count(*), NULL
    FROM plays GROUP BY CAST(EXTRACT(hour FROM start_time) AS int)
    UNION ALL
    SELECT 7, CAST(ROW_NUMBER() OVER (ORDER BY count(*) DESC, os, browser) AS int), 'platform',
           COALESCE(os, 'unknown') || ' / ' || COALESCE(browser, 'unknown'), count(*), NULL
    FROM plays GROUP BY os, browser
)
SELECT (SELECT user_id FROM listener) AS user_id, fact, position, value, plays, detail
FROM facts
WHERE position <= 5
ORDER BY section, position;
