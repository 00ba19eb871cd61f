-- A small star schema for the report tests, on the migrated schema: 600 plays spread
-- over every hour and weekday, with uneven counts per song, and hostile values where the
-- report shows them: markup and script tags, quotes, non-ASCII and 500-character text.
INSERT INTO users (user_id, first_name, last_name, gender, level)
SELECT u::text,
       CASE u WHEN 1 THEN '<img src=x onerror=alert(2)>' WHEN 10 THEN 'Zoë "Z" O''Neil' ELSE 'User' || u END,
       'Listener', CASE WHEN u % 3 = 0 THEN 'M' ELSE 'F' END, CASE WHEN u % 4 = 0 THEN 'paid' ELSE 'free' END
FROM generate_series(1, 20) AS u;

INSERT INTO artists (artist_id, name) VALUES
  ('AR0', 'Muse'), ('AR1', 'Björk'), ('AR2', '<script>alert("artist")</script>'), ('AR3', 'Sigur Rós'),
  ('AR4', '坂本龍一'), ('AR5', 'A "quoted" & <b>bold</b> artist'), ('AR6', left(repeat('Very long artist name ', 30), 500)),
  ('AR7', 'Daft Punk'), ('AR8', 'Röyksopp'), ('AR9', 'Ólafur Arnalds');

INSERT INTO songs (song_id, artist_id, title, year, duration)
SELECT 'SO' || s, 'AR' || s,
       CASE s WHEN 9 THEN '<script>alert(1)</script>' WHEN 8 THEN left(repeat('Ünïcödé lyric ', 40), 500)
              WHEN 7 THEN 'O''Brien''s "Song" & more' WHEN 6 THEN '東京の夜 🎵' ELSE 'Song ' || s END,
       2000 + s, 200 + s
FROM generate_series(0, 9) AS s;

INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT t, extract(hour FROM t), extract(day FROM t), extract(week FROM t), extract(month FROM t), extract(year FROM t),
       extract(dow FROM t)
FROM (SELECT timestamp '2018-11-01 00:00' + n * interval '97 minutes' AS t FROM generate_series(1, 600) AS n) AS times;

INSERT INTO songplays (start_time, user_id, level, song_id, artist_id, session_id, location, user_agent)
SELECT timestamp '2018-11-01 00:00' + n * interval '97 minutes',
       (1 + n % 20)::text,
       CASE WHEN (1 + n % 20) % 4 = 0 THEN 'paid' ELSE 'free' END,
       CASE WHEN n % 7 = 0 THEN NULL ELSE 'SO' || floor(sqrt(n % 100))::int END,
       CASE WHEN n % 7 = 0 THEN NULL ELSE 'AR' || floor(sqrt(n % 100))::int END,
       n / 9,
       CASE n % 6 WHEN 0 THEN 'San Francisco-Oakland-Hayward, CA' WHEN 1 THEN left(repeat('Città di Ünïcode ', 40), 500)
                  WHEN 2 THEN '<script>alert("where")</script>' WHEN 3 THEN 'Tampa-St. Petersburg-Clearwater, FL'
                  ELSE 'Lansing-East Lansing, MI' END,
       CASE n % 4 WHEN 0 THEN 'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36'
                  WHEN 1 THEN 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.77.4 (KHTML, like Gecko) Version/7.0.5 Safari/537.77.4'
                  WHEN 2 THEN 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:31.0) Gecko/20100101 Firefox/31.0'
                  ELSE 'Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53' END
FROM generate_series(1, 600) AS n;

-- Each play's track: the song's, as logged, or for an unmatched play a track of no song.
INSERT INTO tracks (logged_artist, logged_title, length, artist, title, song_id, artist_id)
SELECT a.name, s.title, s.duration, a.name, s.title, s.song_id, s.artist_id
FROM songs s JOIN artists a ON a.artist_id = s.artist_id;
INSERT INTO tracks (logged_artist, logged_title, length, artist, title) VALUES ('Nobody Known', 'Lost Song', 180, 'Nobody Known', 'Lost Song');
UPDATE songplays SET track_id = t.track_id
FROM tracks t
WHERE t.song_id = songplays.song_id OR (songplays.song_id IS NULL AND t.song_id IS NULL);
INSERT INTO listener_artists (user_id, artist, plays)
SELECT sp.user_id, t.artist, count(*) FROM songplays sp JOIN tracks t USING (track_id) GROUP BY sp.user_id, t.artist;
