-- name: top_user_agents
-- description: Every play by client: the full user agent, or its browser or operating system family (by=agent|browser|os).
-- param: limit int = 10
-- param: by agent|browser|os = agent
WITH clients AS (
    SELECT user_agent,
           CASE
               WHEN user_agent IS NULL THEN NULL
               WHEN user_agent LIKE '%Edge/%' OR user_agent LIKE '%Edg/%' THEN 'Edge'
               WHEN user_agent LIKE '%OPR/%' OR user_agent LIKE '%Opera%' THEN 'Opera'
               WHEN user_agent LIKE '%Chrome/%' OR user_agent LIKE '%CriOS/%' THEN 'Chrome'
               WHEN user_agent LIKE '%Firefox/%' THEN 'Firefox'
               WHEN user_agent LIKE '%MSIE %' OR user_agent LIKE '%Trident/%' THEN 'Internet Explorer'
               WHEN user_agent LIKE '%Safari/%' THEN 'Safari'
               ELSE 'Other'
           END AS browser,
           CASE
               WHEN user_agent IS NULL THEN NULL
               WHEN user_agent LIKE '%iPhone%' OR user_agent LIKE '%iPad%' THEN 'iOS'
               WHEN user_agent LIKE '%Android%' THEN 'Android'
               WHEN user_agent LIKE '%Windows%' THEN 'Windows'
               WHEN user_agent LIKE '%Macintosh%' OR user_agent LIKE '%Mac OS X%' THEN 'Mac OS X'
               WHEN user_agent LIKE '%Linux%' OR user_agent LIKE '%X11%' THEN 'Linux'
               ELSE 'Other'
           END AS os
    FROM songplays
)
SELECT CASE $2::text
           WHEN 'browser' THEN browser
           WHEN 'os' THEN os
           ELSE user_agent
       END AS client,
       count(*) AS plays
FROM clients
GROUP BY 1
ORDER BY plays DESC, client
LIMIT $1::int;
