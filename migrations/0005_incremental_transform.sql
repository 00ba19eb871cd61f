-- What the incremental transform needs to turn only new staging rows into star rows.
--
-- dwh_loaded_files.transformed_at: NULL while a file's rows are not in the star schema.
--   The transform sets it in the transaction that writes the file's star rows. While no
--   file has it (the first run, after `load --full-refresh`, after this migration), the
--   transform rebuilds everything.
-- dwh_transform_removed: files whose star rows must go. The load writes a row here when it
--   replaces a transformed file, in the transaction that removes its staging rows.
-- staging_events.line_number and songplays (file_id, line_number): each songplay names the
--   one event it was made from, so that a replaced file's plays can be removed and a play's
--   song match can be redone when the songs change, without touching its songplay_id.
-- dwh_user_levels: the event that decided each user's row (the latest one), so that an
--   event arriving late is compared with it and cannot overwrite a newer level.
-- dwh_song_matches: for each (title, artist name, duration) the song a play of it gets (the
--   lowest song_id), so that a day's plays are matched without ranking every song again.
--
-- Redshift loads fill staging with COPY from S3 and no file ids: there the transform
-- rebuilds the star schema, and these columns stay NULL.

-- migrate:up
ALTER TABLE dwh_loaded_files ADD COLUMN transformed_at timestamp;
ALTER TABLE staging_events ADD COLUMN line_number integer;
ALTER TABLE staging_songs ADD COLUMN line_number integer;
ALTER TABLE songplays ADD COLUMN file_id bigint;
ALTER TABLE songplays ADD COLUMN line_number integer;

CREATE TABLE dwh_transform_removed (
    file_id    bigint      NOT NULL PRIMARY KEY,
    table_name varchar(64) NOT NULL
);

CREATE TABLE dwh_user_levels (
    user_id         varchar(32) NOT NULL PRIMARY KEY,
    ts              bigint,
    item_in_session integer,
    level           varchar(16),
    file_id         bigint,
    line_number     integer
)
-- dwh:redshift
DISTSTYLE ALL
-- dwh:end
;

CREATE TABLE dwh_song_matches (
    title       varchar(1024)    NOT NULL,
    artist_name varchar(1024)    NOT NULL,
    duration    double precision NOT NULL,
    song_id     varchar(32)      NOT NULL,
    artist_id   varchar(32)
)
-- dwh:redshift
DISTSTYLE ALL
-- dwh:end
;

-- dwh:postgres
-- Rows loaded before this version have no line number: they are numbered within their file
-- in storage order, which is all a play's source needs (to be unique). Reloaded files get
-- their real line numbers.
UPDATE staging_events SET line_number = numbered.position
FROM (SELECT ctid AS row_id, ROW_NUMBER() OVER (PARTITION BY file_id ORDER BY ctid) AS position FROM staging_events) numbered
WHERE staging_events.ctid = numbered.row_id;
UPDATE staging_songs SET line_number = numbered.position
FROM (SELECT ctid AS row_id, ROW_NUMBER() OVER (PARTITION BY file_id ORDER BY ctid) AS position FROM staging_songs) numbered
WHERE staging_songs.ctid = numbered.row_id;

-- A day's rows are found by file id. File ids grow with each load, so block ranges (BRIN)
-- find them at almost no cost to the load; a B-tree on a billion staging rows would not.
CREATE INDEX staging_events_file_id_idx ON staging_events USING brin (file_id);
CREATE INDEX staging_songs_file_id_idx ON staging_songs USING brin (file_id);
CREATE INDEX songplays_source_idx ON songplays (file_id, line_number);
CREATE INDEX dwh_loaded_files_untransformed_idx ON dwh_loaded_files (file_id) WHERE transformed_at IS NULL;
-- dwh:end

-- migrate:down
-- dwh:postgres
DROP INDEX dwh_loaded_files_untransformed_idx;
DROP INDEX songplays_source_idx;
DROP INDEX staging_songs_file_id_idx;
DROP INDEX staging_events_file_id_idx;
-- dwh:end
DROP TABLE dwh_song_matches;
DROP TABLE dwh_user_levels;
DROP TABLE dwh_transform_removed;
ALTER TABLE songplays DROP COLUMN line_number;
ALTER TABLE songplays DROP COLUMN file_id;
ALTER TABLE staging_songs DROP COLUMN line_number;
ALTER TABLE staging_events DROP COLUMN line_number;
ALTER TABLE dwh_loaded_files DROP COLUMN transformed_at;
