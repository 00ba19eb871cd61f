-- The per-listener tables (migration 0007) take the changes of plays that wait for them
-- (dwh_pending_play_changes, migration 0008: the batches' plays, less the removed files'
-- ones, of this transform and of any earlier one that left them), so that a run costs what
-- changed, and the result is the same as one run over everything: every number here is an
-- exact integer, and every ranking breaks its ties by name. The step stands alone (it reads
-- no table of the batch), so that it can also run by itself.

-- Each changed (listener, artist), with its count before and after.
CREATE TEMP TABLE dwh_listener_changes AS
SELECT c.user_id, c.artist, COALESCE(la.plays, 0) AS old_plays, COALESCE(la.plays, 0) + c.plays AS new_plays
FROM (SELECT user_id, artist, SUM(plays) AS plays FROM dwh_pending_play_changes GROUP BY user_id, artist) c
LEFT JOIN listener_artists la ON la.user_id = c.user_id AND la.artist = c.artist
WHERE c.plays <> 0;

UPDATE listener_artists
SET plays = c.new_plays
FROM dwh_listener_changes c
WHERE listener_artists.user_id = c.user_id AND listener_artists.artist = c.artist
  AND c.old_plays > 0 AND c.new_plays > 0;
DELETE FROM listener_artists
WHERE EXISTS (SELECT 1 FROM dwh_listener_changes c
              WHERE c.user_id = listener_artists.user_id AND c.artist = listener_artists.artist AND c.new_plays <= 0);
INSERT INTO listener_artists (user_id, artist, plays)
SELECT user_id, artist, new_plays FROM dwh_listener_changes WHERE old_plays = 0 AND new_plays > 0;

-- The taste (20 most played artists; ties by name) of each listener whose counts changed,
-- and the listeners whose taste is not what it was: only theirs changes the pairs. Where a
-- listener's counts only grew, the new taste is among the old one and the artists that
-- changed (an artist outside it still has 20 above it), so only those are ranked; a listener
-- who lost plays is ranked over all of their artists.
CREATE TEMP TABLE dwh_shrunk_listeners AS
SELECT DISTINCT user_id FROM dwh_listener_changes WHERE new_plays < old_plays;
CREATE TEMP TABLE dwh_new_taste AS
SELECT user_id, artist, plays
FROM (
    SELECT user_id, artist, plays, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY plays DESC, artist) AS pick
    FROM (
        SELECT t.user_id, t.artist, t.plays
        FROM listener_taste t
        WHERE t.user_id IN (SELECT user_id FROM dwh_listener_changes)
          AND t.user_id NOT IN (SELECT user_id FROM dwh_shrunk_listeners)
          AND NOT EXISTS (SELECT 1 FROM dwh_listener_changes c WHERE c.user_id = t.user_id AND c.artist = t.artist)
        UNION ALL
        SELECT user_id, artist, new_plays
        FROM dwh_listener_changes
        WHERE new_plays > 0 AND user_id NOT IN (SELECT user_id FROM dwh_shrunk_listeners)
        UNION ALL
        SELECT user_id, artist, plays
        FROM listener_artists
        WHERE user_id IN (SELECT user_id FROM dwh_shrunk_listeners)
    ) candidates
) ranked
WHERE pick <= 20;
CREATE TEMP TABLE dwh_old_taste AS
SELECT user_id, artist, plays FROM listener_taste WHERE user_id IN (SELECT user_id FROM dwh_listener_changes);
CREATE TEMP TABLE dwh_taste_users AS
SELECT DISTINCT user_id
FROM ((SELECT user_id, artist, plays FROM dwh_new_taste EXCEPT SELECT user_id, artist, plays FROM dwh_old_taste)
      UNION ALL
      (SELECT user_id, artist, plays FROM dwh_old_taste EXCEPT SELECT user_id, artist, plays FROM dwh_new_taste)) differing;

-- Their taste vectors, the new one counted in (+1) and the old one out (-1). An entry that
-- is in both with the same plays is not moved: its products with another unmoved entry come
-- in and go out alike.
CREATE TEMP TABLE dwh_taste_vectors AS
SELECT n.user_id, n.artist, n.plays, 1 AS sign, CASE WHEN o.user_id IS NULL THEN 1 ELSE 0 END AS moved
FROM dwh_new_taste n
LEFT JOIN dwh_old_taste o ON o.user_id = n.user_id AND o.artist = n.artist AND o.plays = n.plays
WHERE n.user_id IN (SELECT user_id FROM dwh_taste_users)
UNION ALL
SELECT o.user_id, o.artist, o.plays, -1 AS sign, CASE WHEN n.user_id IS NULL THEN 1 ELSE 0 END AS moved
FROM dwh_old_taste o
LEFT JOIN dwh_new_taste n ON n.user_id = o.user_id AND n.artist = o.artist AND n.plays = o.plays
WHERE o.user_id IN (SELECT user_id FROM dwh_taste_users);
-- dwh:postgres
ANALYZE dwh_taste_vectors;
-- dwh:end

-- What that changes in each pair's dot product, and in each pair as stored. Only the products
-- with a moved entry are summed: the others cancel out (a day that adds plays to one of a
-- listener's 20 artists changes 38 of the 380 products, not all of them).
CREATE TEMP TABLE dwh_pair_changes AS
SELECT c.artist, c.other, COALESCE(p.together, 0) AS old_together, COALESCE(p.together, 0) + c.together AS new_together
FROM (
    SELECT a.artist, b.artist AS other, SUM(a.sign * a.plays * b.plays) AS together
    FROM dwh_taste_vectors a
    JOIN dwh_taste_vectors b ON b.user_id = a.user_id AND b.sign = a.sign AND b.artist <> a.artist
    WHERE a.moved = 1 OR b.moved = 1
    GROUP BY a.artist, b.artist
) c
LEFT JOIN artist_pairs p ON p.artist = c.artist AND p.other = c.other
WHERE c.together <> 0;

UPDATE artist_pairs
SET together = c.new_together
FROM dwh_pair_changes c
WHERE artist_pairs.artist = c.artist AND artist_pairs.other = c.other AND c.old_together <> 0 AND c.new_together <> 0;
DELETE FROM artist_pairs
WHERE EXISTS (SELECT 1 FROM dwh_pair_changes c
              WHERE c.artist = artist_pairs.artist AND c.other = artist_pairs.other AND c.new_together = 0);
INSERT INTO artist_pairs (artist, other, together)
SELECT artist, other, new_together FROM dwh_pair_changes WHERE old_together = 0 AND new_together <> 0;

-- Per artist: listeners gained or lost, plays, and the change in its taste vector's length.
CREATE TEMP TABLE dwh_artist_changes AS
SELECT c.artist,
       COALESCE(s.listeners, 0) AS old_listeners,
       COALESCE(s.taste_norm, 0) AS old_taste_norm,
       COALESCE(s.listeners, 0) + c.listeners AS new_listeners,
       COALESCE(s.plays, 0) + c.plays AS new_plays,
       COALESCE(s.taste_norm, 0) + c.taste_norm AS new_taste_norm
FROM (
    SELECT artist, SUM(listeners) AS listeners, SUM(plays) AS plays, SUM(taste_norm) AS taste_norm
    FROM (
        SELECT artist,
               CASE WHEN new_plays > 0 THEN 1 ELSE 0 END - CASE WHEN old_plays > 0 THEN 1 ELSE 0 END AS listeners,
               new_plays - old_plays AS plays, 0 AS taste_norm
        FROM dwh_listener_changes
        UNION ALL
        SELECT artist, 0 AS listeners, 0 AS plays, sign * plays * plays AS taste_norm FROM dwh_taste_vectors
    ) parts
    GROUP BY artist
) c
LEFT JOIN artist_stats s ON s.artist = c.artist;

UPDATE artist_stats
SET listeners = c.new_listeners, plays = c.new_plays, taste_norm = c.new_taste_norm
FROM dwh_artist_changes c
WHERE artist_stats.artist = c.artist AND c.old_listeners > 0 AND c.new_listeners > 0;
DELETE FROM artist_stats
WHERE EXISTS (SELECT 1 FROM dwh_artist_changes c WHERE c.artist = artist_stats.artist AND c.new_listeners <= 0);
INSERT INTO artist_stats (artist, listeners, plays, taste_norm)
SELECT artist, new_listeners, new_plays, new_taste_norm FROM dwh_artist_changes WHERE old_listeners = 0 AND new_listeners > 0;

-- Each artist's 20 nearest (artist_neighbours), redone where a cosine may have changed: for
-- the artists with a changed pair, with a changed length, and paired with one whose length
-- changed.
CREATE TEMP TABLE dwh_neighbour_artists AS
SELECT artist FROM dwh_pair_changes
UNION
SELECT artist FROM dwh_artist_changes WHERE new_taste_norm <> old_taste_norm
UNION
SELECT p.other FROM artist_pairs p
WHERE p.artist IN (SELECT artist FROM dwh_artist_changes WHERE new_taste_norm <> old_taste_norm);
DELETE FROM artist_neighbours WHERE artist IN (SELECT artist FROM dwh_neighbour_artists);
INSERT INTO artist_neighbours (artist, other, similarity)
SELECT artist, other, similarity
FROM (
    SELECT artist, other, similarity, ROW_NUMBER() OVER (PARTITION BY artist ORDER BY similarity DESC, other) AS position
    FROM (
        SELECT p.artist, p.other, p.together / SQRT(CAST(sa.taste_norm AS double precision) * sb.taste_norm) AS similarity
        FROM artist_pairs p
        JOIN artist_stats sa ON sa.artist = p.artist
        JOIN artist_stats sb ON sb.artist = p.other
        WHERE p.artist IN (SELECT artist FROM dwh_neighbour_artists)
    ) cosines
) ranked
WHERE position <= 20;

DELETE FROM listener_taste WHERE user_id IN (SELECT user_id FROM dwh_taste_users);
INSERT INTO listener_taste (user_id, artist, plays)
SELECT user_id, artist, plays FROM dwh_new_taste WHERE user_id IN (SELECT user_id FROM dwh_taste_users);

-- Taken in: nothing waits any more. The step's own temporary tables go with it.
DELETE FROM dwh_pending_play_changes;
DROP TABLE dwh_listener_changes;
DROP TABLE dwh_shrunk_listeners;
DROP TABLE dwh_new_taste;
DROP TABLE dwh_old_taste;
DROP TABLE dwh_taste_users;
DROP TABLE dwh_taste_vectors;
DROP TABLE dwh_pair_changes;
DROP TABLE dwh_artist_changes;
DROP TABLE dwh_neighbour_artists;
