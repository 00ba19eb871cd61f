-- name: audiences
-- title: Audiences for advertising: where, on which platform, and who to offer paid
-- description: Listeners by location and platform (operating system, browser or full user agent: by=os|browser|agent): listeners, plays, the share of those listeners who are paid now, and the free listeners who play often there (at least `frequent` plays): the people to offer paid. The largest audiences of free frequent listeners first.
-- param: by os|browser|agent = os
-- param: limit int = 15
-- param: frequent int = 20
WITH clients AS (
    SELECT p.user_id, COALESCE(u.level, p.level) AS level, COALESCE(p.location, 'unknown') AS location,
           COALESCE(CASE $1::text WHEN 'browser' THEN p.browser WHEN 'os' THEN p.os ELSE p.user_agent END, 'unknown') AS platform
    FROM play_platforms p
    LEFT JOIN users u ON u.user_id = p.user_id
),
listeners AS (
    SELECT location, platform, user_id, MIN(level) AS level, count(*) AS plays
    FROM clients
    GROUP BY location, platform, user_id
)
SELECT location || ' · ' || platform AS audience,
       location,
       platform,
       count(*) AS listeners,
       sum(plays) AS plays,
       CAST(100.0 * sum(CASE WHEN level = 'paid' THEN 1 ELSE 0 END) / count(*) AS decimal(5, 1)) AS paid_share,
       sum(CASE WHEN level = 'free' AND plays >= $3::int THEN 1 ELSE 0 END) AS frequent_free
FROM listeners
GROUP BY location, platform
ORDER BY frequent_free DESC, listeners DESC, plays DESC, audience
LIMIT $2::int;
