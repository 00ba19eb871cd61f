-- name: recommend
-- title: Artists to recommend to one listener
-- description: Artists the listener has never played, ranked by item-to-item cosine similarity to the artists in their taste (their 20 most played): score = the sum, over those, of plays × similarity, among each one's 20 most similar artists; the reason names the artist that adds most. The rest of the list (all of it for a listener with too little history) is the most popular artists by listeners. user_id empty: the most active listener.
-- param: user_id text =
-- param: limit int = 10
WITH listener AS (
    SELECT CASE WHEN $1::text <> '' THEN $1::text
                ELSE (SELECT user_id FROM listener_artists GROUP BY user_id ORDER BY SUM(plays) DESC, user_id LIMIT 1)
           END AS user_id
),
played AS (
    SELECT artist FROM listener_artists WHERE user_id = (SELECT user_id FROM listener)
),
taste AS (
    SELECT artist, plays FROM listener_taste WHERE user_id = (SELECT user_id FROM listener)
),
neighbours AS (
    SELECT artist, other, similarity FROM artist_neighbours WHERE artist IN (SELECT artist FROM taste)
),
similar_artists AS (
    SELECT artist, because, score
    FROM (
        SELECT n.other AS artist, t.artist AS because,
               SUM(t.plays * n.similarity) OVER (PARTITION BY n.other) AS score,
               ROW_NUMBER() OVER (PARTITION BY n.other ORDER BY t.plays * n.similarity DESC, t.artist) AS pick
        FROM taste t
        JOIN neighbours n ON n.artist = t.artist
        WHERE n.other NOT IN (SELECT artist FROM played)
    ) contributions
    WHERE pick = 1
),
popular AS (
    SELECT artist, listeners, plays FROM artist_stats ORDER BY listeners DESC, plays DESC, artist LIMIT 100
),
candidates AS (
    SELECT artist, 1 AS kind, score AS weight, CAST(0 AS bigint) AS tiebreak, score, 'because you play ' || because AS reason
    FROM similar_artists
    UNION ALL
    SELECT artist, 2 AS kind, CAST(listeners AS double precision) AS weight, plays AS tiebreak, CAST(NULL AS double precision) AS score,
           'popular: ' || CAST(listeners AS varchar(20)) || ' listeners' AS reason
    FROM popular
    WHERE artist NOT IN (SELECT artist FROM played) AND artist NOT IN (SELECT artist FROM similar_artists)
)
SELECT ROW_NUMBER() OVER (ORDER BY kind, weight DESC, tiebreak DESC, artist) AS rank,
       (SELECT user_id FROM listener) AS user_id,
       artist,
       CAST(score AS decimal(12, 3)) AS score,
       reason
FROM candidates
ORDER BY rank
LIMIT $2::int;
