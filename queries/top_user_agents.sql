-- name: top_user_agents
-- title: Plays by client
-- description: Every play by client: the full user agent, or its browser or operating system family (by=agent|browser|os).
-- param: limit int = 10
-- param: by agent|browser|os = agent
-- param: since timestamp = 2018-01-01
SELECT CASE $2::text
           WHEN 'browser' THEN browser
           WHEN 'os' THEN os
           ELSE user_agent
       END AS client,
       count(*) AS plays
FROM play_platforms
WHERE start_time >= $3::timestamp
GROUP BY 1
ORDER BY plays DESC, client
LIMIT $1::int;
