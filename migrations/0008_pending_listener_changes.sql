-- The plays that the per-listener tables (0007) have not taken in yet, per listener and
-- artist: added by the transform (a batch's plays, and minus the plays of a replaced file),
-- and taken in, then emptied, by its listeners step (Transform/65_listeners.sql), in the
-- transaction that writes the star rows.
--
-- They are kept in a table, not for one transform only, so that a run of many days
-- (`dwh run --from --to`) can take in the plays of all its days at once, at its last day,
-- instead of redoing every listener's taste and the artist pairs for each day: the
-- listener tables plus what waits here always equal what the plays say, and a run
-- killed in between leaves the rest here for the next transform.

-- migrate:up
CREATE TABLE dwh_pending_play_changes (
    user_id varchar(32)   NOT NULL,
    artist  varchar(1024) NOT NULL,
    plays   bigint        NOT NULL
);

-- migrate:down
DROP TABLE dwh_pending_play_changes;
