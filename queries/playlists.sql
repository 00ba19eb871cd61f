-- name: playlists
-- title: Playlists: the first recommendations for every listener
-- description: For every listener, the top recommendations as the recommend query ranks them (item-to-item cosine similarity over their taste, then the most popular artists), never an artist they have played: marketing's CSV.
-- param: limit int = 10
WITH similar_artists AS (
    SELECT user_id, artist, because, score
    FROM (
        SELECT t.user_id, n.other AS artist, t.artist AS because,
               SUM(t.plays * n.similarity) OVER (PARTITION BY t.user_id, n.other) AS score,
               ROW_NUMBER() OVER (PARTITION BY t.user_id, n.other ORDER BY t.plays * n.similarity DESC, t.artist) AS pick
        FROM listener_taste t
        JOIN artist_neighbours n ON n.artist = t.artist
        WHERE NOT EXISTS (SELECT 1 FROM listener_artists la WHERE la.user_id = t.user_id AND la.artist = n.other)
    ) contributions
    WHERE pick = 1
),
popular AS (
    SELECT artist, listeners, plays FROM artist_stats ORDER BY listeners DESC, plays DESC, artist LIMIT 100
),
candidates AS (
    SELECT user_id, artist, 1 AS kind, score AS weight, CAST(0 AS bigint) AS tiebreak, score, 'because you play ' || because AS reason
    FROM similar_artists
    UNION ALL
    SELECT u.user_id, p.artist, 2 AS kind, CAST(p.listeners AS double precision) AS weight, p.plays AS tiebreak, CAST(NULL AS double precision) AS score,
           'popular: ' || CAST(p.listeners AS varchar(20)) || ' listeners' AS reason
    FROM users u
    CROSS JOIN popular p
    WHERE NOT EXISTS (SELECT 1 FROM listener_artists la WHERE la.user_id = u.user_id AND la.artist = p.artist)
      AND NOT EXISTS (SELECT 1 FROM similar_artists s WHERE s.user_id = u.user_id AND s.artist = p.artist)
),
ranked AS (
    SELECT user_id, artist, score, reason,
           ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY kind, weight DESC, tiebreak DESC, artist) AS rank
    FROM candidates
)
SELECT user_id, rank, artist, CAST(score AS decimal(12, 3)) AS score, reason
FROM ranked
WHERE rank <= $1::int
ORDER BY user_id, rank;
