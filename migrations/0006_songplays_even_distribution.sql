-- Redshift: songplays is spread evenly over the slices (DISTSTYLE EVEN) instead of by
-- song_id (0002).
--
-- A fact table distributed on a key goes to the slice its key hashes to, and every NULL
-- key hashes to the same one. song_id is NULL for a play whose song is not in the
-- catalogue, which is most of them: 6,781 of the 6,820 plays of the published Sparkify
-- data. Under DISTKEY(song_id) one slice held almost the whole table, and every query
-- on it ran at the speed of that slice.
--
-- The alternatives, against the saved queries:
--   DISTKEY(user_id): 96 listeners in the published data, and 10 of them make 62% of the
--     plays, so the slices would still be uneven.
--   DISTKEY(start_time): even, but no query joins on it; time is DISTSTYLE ALL already.
--   AUTO: Redshift would pick EVEN for a table this shape; EVEN says so and stays put.
-- With EVEN, the joins to users, artists and time stay on each slice (those are
-- DISTSTYLE ALL); the join to songs moves only the matched plays (39 of 6,820).
-- SORTKEY(start_time) stays: the saved queries filter by time.

-- migrate:up
-- dwh:redshift
ALTER TABLE songplays ALTER DISTSTYLE EVEN;
-- dwh:end

-- migrate:down
-- dwh:redshift
ALTER TABLE songplays ALTER DISTSTYLE KEY DISTKEY song_id;
-- dwh:end
