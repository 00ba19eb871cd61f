-- The statements dwh runs on its migration tracker, by name. Values are bound ($1, …).
-- Every one runs on both PostgreSQL and Redshift unless its name says otherwise.

-- name: create
CREATE TABLE IF NOT EXISTS dwh_schema_migrations (
    version      bigint       NOT NULL PRIMARY KEY,
    description  varchar(256) NOT NULL,
    script       varchar(256) NOT NULL,
    checksum     char(64)     NOT NULL,
    dialect      varchar(16)  NOT NULL,
    applied_by   varchar(128) NOT NULL,
    applied_at   timestamp    NOT NULL,
    execution_ms bigint       NOT NULL
);

-- A migration that runs outside a transaction and fails part-way leaves what ran before
-- the failing statement. Its version is recorded here, and nothing more runs until
-- `dwh migrate repair` clears it.
-- name: create_failures
CREATE TABLE IF NOT EXISTS dwh_schema_migration_failures (
    version     bigint        NOT NULL PRIMARY KEY,
    script      varchar(256)  NOT NULL,
    failed_line integer       NOT NULL,
    error       varchar(2048) NOT NULL,
    failed_at   timestamp     NOT NULL
);

-- name: failures_exist
SELECT count(*) FROM pg_catalog.pg_tables
WHERE tablename = 'dwh_schema_migration_failures' AND schemaname = current_schema();

-- name: select_failures
SELECT version, script, failed_line, error, to_char(failed_at, 'YYYY-MM-DD HH24:MI:SS') AS failed_at
FROM dwh_schema_migration_failures
ORDER BY version;

-- name: insert_failure
INSERT INTO dwh_schema_migration_failures (version, script, failed_line, error, failed_at)
VALUES ($1, $2, $3, $4, $5);

-- name: delete_failure
DELETE FROM dwh_schema_migration_failures WHERE version = $1;

-- name: exists
SELECT count(*) FROM pg_catalog.pg_tables
WHERE tablename = 'dwh_schema_migrations' AND schemaname = current_schema();

-- name: select
SELECT version, description, script, checksum, dialect, applied_by,
       to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS') AS applied_at, execution_ms
FROM dwh_schema_migrations
ORDER BY version;

-- name: is_applied
SELECT count(*) FROM dwh_schema_migrations WHERE version = $1;

-- name: insert
INSERT INTO dwh_schema_migrations
    (version, description, script, checksum, dialect, applied_by, applied_at, execution_ms)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8);

-- name: delete
DELETE FROM dwh_schema_migrations WHERE version = $1;

-- name: update_checksum
UPDATE dwh_schema_migrations SET checksum = $2, script = $3, description = $4 WHERE version = $1;

-- PostgreSQL: one session-wide advisory lock around a whole run, taken before the
-- tracker exists, so runs started together queue instead of racing to create it.
-- name: try_lock_postgres
SELECT pg_try_advisory_lock($1);

-- name: lock_postgres
SELECT pg_advisory_lock($1);

-- name: unlock_postgres
SELECT pg_advisory_unlock($1);

-- Redshift has no advisory locks: each migration's transaction locks the tracker
-- itself, then checks again that its version is still pending.
-- name: lock_redshift
LOCK dwh_schema_migrations;

-- PostgreSQL: how long a migration's statement may wait for a lock on a table (0 for
-- ever), set once the run holds its own lock.
-- name: set_lock_timeout
SELECT set_config('lock_timeout', $1, false);

-- Who holds locks on the tables a statement that gave up waiting names: $1 is those
-- names, space-separated. (PostgreSQL only, as is the lock timeout above; Redshift
-- runs neither.)
-- name: lock_holders
SELECT DISTINCT a.pid::text AS pid, c.relname AS relation, l.mode,
       coalesce(a.usename::text, '') AS username, coalesce(a.state, '') AS state,
       coalesce(to_char(clock_timestamp() - a.xact_start, 'HH24:MI:SS'), '') AS in_transaction,
       left(regexp_replace(coalesce(a.query, ''), '\s+', ' ', 'g'), 120) AS query
FROM pg_locks l
JOIN pg_class c ON c.oid = l.relation
JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.granted
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND a.pid <> pg_backend_pid()
  AND c.relname = ANY (string_to_array($1, ' '))
ORDER BY 1, 2;
