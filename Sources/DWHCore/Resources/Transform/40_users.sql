-- One row per non-empty user id, as of that user's latest event: level, name and gender
-- (users upgrade and downgrade). At the same time the higher item in the session wins,
-- then 'free' before 'paid', then the first name, last name and gender in sort order (never
-- the order of loading: any order of loads gives the same rows). An event without a time (which
-- Redshift's COPY lets through) never wins over one with a time.
--
-- The batch's events are ranked together with the event that decided each of their users
-- so far (dwh_user_levels): the winner is the same as over all of the user's events, and an
-- event that arrives late with an older time cannot overwrite a newer level.
CREATE TEMP TABLE dwh_user_choice AS
SELECT user_id, first_name, last_name, gender, level, ts, item_in_session, file_id, line_number,
       NOT EXISTS (SELECT 1 FROM users u WHERE u.user_id = ranked.user_id) AS is_new,
       NOT EXISTS (SELECT 1 FROM dwh_user_levels s WHERE s.user_id = ranked.user_id) AS is_first
FROM (
    SELECT user_id, first_name, last_name, gender, level, ts, item_in_session, file_id, line_number,
           ROW_NUMBER() OVER (PARTITION BY user_id
                              ORDER BY CASE WHEN ts IS NULL THEN 1 ELSE 0 END, ts DESC, item_in_session DESC, level,
                                       first_name, last_name, gender, file_id DESC, line_number DESC) AS pick
    FROM (
        SELECT user_id, first_name, last_name, gender, level, ts, item_in_session, file_id, line_number
        FROM dwh_user_events
        UNION ALL
        SELECT s.user_id, u.first_name, u.last_name, u.gender, s.level, s.ts, s.item_in_session, s.file_id, s.line_number
        FROM dwh_user_levels s
        JOIN users u ON u.user_id = s.user_id
        WHERE s.user_id IN (SELECT user_id FROM dwh_user_events)
    ) candidates
) ranked
WHERE pick = 1;

-- Which users are new is decided above, before anything is written (see 30_songs.sql).
UPDATE users
SET first_name = c.first_name, last_name = c.last_name, gender = c.gender, level = c.level
FROM dwh_user_choice c
WHERE users.user_id = c.user_id AND NOT c.is_new;
INSERT INTO users (user_id, first_name, last_name, gender, level)
SELECT user_id, first_name, last_name, gender, level FROM dwh_user_choice WHERE is_new;

UPDATE dwh_user_levels
SET ts = c.ts, item_in_session = c.item_in_session, level = c.level, file_id = c.file_id, line_number = c.line_number
FROM dwh_user_choice c
WHERE dwh_user_levels.user_id = c.user_id AND NOT c.is_first;
INSERT INTO dwh_user_levels (user_id, ts, item_in_session, level, file_id, line_number)
SELECT user_id, ts, item_in_session, level, file_id, line_number FROM dwh_user_choice WHERE is_first;

-- Users decided again (20_remove.sql) with no event left.
DELETE FROM users
WHERE user_id IN (SELECT user_id FROM dwh_users_rescanned)
  AND NOT EXISTS (SELECT 1 FROM dwh_user_levels s WHERE s.user_id = users.user_id);
