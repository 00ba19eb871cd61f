-- Benchmark data: 100 users and 1,000,000 synthetic plays (with quotes, commas and
-- non-ASCII in the text, as the real data has), when songplays holds fewer.
INSERT INTO users (user_id, first_name, last_name, gender, level)
SELECT 'bench' || g, 'First' || g, CASE WHEN g % 7 = 0 THEN 'O''Brien, Jr.' ELSE 'Lästname' || g END,
       CASE WHEN g % 2 = 0 THEN 'F' ELSE 'M' END, CASE WHEN g % 3 = 0 THEN 'paid' ELSE 'free' END
FROM generate_series(1, 100) g
ON CONFLICT DO NOTHING;

INSERT INTO time (start_time, hour, day, week, month, year, weekday)
SELECT t, extract(hour FROM t), extract(day FROM t), extract(week FROM t), extract(month FROM t),
       extract(year FROM t), extract(dow FROM t)
FROM generate_series(timestamp '2018-11-01', timestamp '2018-11-01' + interval '999999 seconds', interval '1 second') t
ON CONFLICT DO NOTHING;

INSERT INTO songplays (start_time, user_id, level, song_id, artist_id, session_id, location, user_agent)
SELECT timestamp '2018-11-01' + g * interval '1 second', 'bench' || (g % 100 + 1),
       CASE WHEN g % 3 = 0 THEN 'paid' ELSE 'free' END, NULL, NULL, g / 50,
       CASE g % 4 WHEN 0 THEN 'San Francisco-Oakland-Hayward, CA' WHEN 1 THEN 'Lansing-East Lansing, MI'
                  WHEN 2 THEN 'Zürich "Stadt"' ELSE 'New York-Newark-Jersey City, NY-NJ-PA' END,
       '"Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36"'
FROM generate_series(0, 999999) g
WHERE (SELECT count(*) FROM songplays) < 1000000;
ANALYZE;
