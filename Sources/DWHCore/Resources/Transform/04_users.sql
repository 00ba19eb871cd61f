-- One row per non-empty user id, as of that user's latest event (its level included:
-- users upgrade and downgrade).
INSERT INTO users (user_id, first_name, last_name, gender, level)
SELECT user_id, first_name, last_name, gender, level
FROM (
    SELECT user_id, first_name, last_name, gender, level,
           ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ts DESC, item_in_session DESC, level) AS pick
    FROM staging_events
    WHERE user_id IS NOT NULL AND user_id <> ''
) ranked
WHERE pick = 1;
