-- name: top_user_agents
-- title: Plays by client
-- description: Every play by client: the full user agent, or its browser or operating system family (by=agent|browser|os).
-- param: limit int = 10
-- param: by agent|browser|os = agent
SELECT CASE $2::text
           WHEN 'browser' THEN browser
           WHEN 'os' THEN os
           ELSE user_agent
       END AS client,
       count(*) AS plays
FROM play_platforms
GROUP BY 1
ORDER BY plays DESC, client
LIMIT $1::int;
