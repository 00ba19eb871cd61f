-- Load bookkeeping: which files are in staging, and the records a load left out.
--
-- dwh_loaded_files is the exactly-once manifest: a file's row is written in the same
-- transaction as the file's staging rows, so either both exist or neither does. file_id
-- is given by dwh (under a lock on this table), not by a sequence: Redshift has no
-- RETURNING, and the id must be known before the rows that carry it are sent.
-- The staging tables get file_id so that a changed file's old rows can be replaced.
-- mtime_us is microseconds since the Unix epoch: compared exactly, no time zone involved.

-- migrate:up
CREATE TABLE dwh_loaded_files (
    file_id      bigint        NOT NULL PRIMARY KEY,
    table_name   varchar(64)   NOT NULL,
    path         varchar(2048) NOT NULL UNIQUE,
    size_bytes   bigint        NOT NULL,
    mtime_us     bigint        NOT NULL,
    content_hash varchar(64)   NOT NULL,
    rows_loaded  bigint        NOT NULL,
    run_id       varchar(64)   NOT NULL,
    loaded_at    timestamp     NOT NULL
);

CREATE TABLE dwh_load_errors (
    run_id      varchar(64)   NOT NULL,
    file        varchar(2048) NOT NULL,
    line        bigint        NOT NULL,
    field       varchar(256),
    reason      varchar(1024) NOT NULL,
    raw_text    varchar(2048),
    recorded_at timestamp     NOT NULL
);

ALTER TABLE staging_events ADD COLUMN file_id bigint;
ALTER TABLE staging_songs ADD COLUMN file_id bigint;

-- migrate:down
ALTER TABLE staging_songs DROP COLUMN file_id;
ALTER TABLE staging_events DROP COLUMN file_id;
DROP TABLE dwh_load_errors;
DROP TABLE dwh_loaded_files;
