-- The statements dwh runs on its run ledger and run lock, by name. Values are bound ($1, …).
-- Each runs on both PostgreSQL and Redshift. Times are UTC, written by dwh.

-- One row per attempt of `dwh run` at a day: created when the attempt starts (status
-- running), finished with succeeded or failed. An attempt whose process was killed, or
-- whose server stopped, stays running, with no end, until the next run takes the lock,
-- marks it abandoned (see `abandon`) and runs the day again.
-- name: create
CREATE TABLE IF NOT EXISTS dwh_runs (
    run_id      varchar(36)    NOT NULL PRIMARY KEY,
    day         date           NOT NULL,
    attempt     integer        NOT NULL,
    status      varchar(16)    NOT NULL,
    started_at  timestamp      NOT NULL,
    finished_at timestamp,
    exit_code   integer,
    error       varchar(4096),
    steps       varchar(65535) NOT NULL,
    host        varchar(256)   NOT NULL,
    pid         integer        NOT NULL,
    dwh_version varchar(128)   NOT NULL
);

-- Who holds the run lock. On PostgreSQL the lock itself is a session advisory lock (it
-- dies with the session) and this row only says who holds it; Redshift has no advisory
-- locks, so there the row is the lock, taken over once its heartbeat is older than the expiry.
-- name: create_lock
CREATE TABLE IF NOT EXISTS dwh_run_lock (
    name         varchar(16)  NOT NULL PRIMARY KEY,
    host         varchar(256) NOT NULL,
    pid          integer      NOT NULL,
    since        timestamp    NOT NULL,
    heartbeat_at timestamp    NOT NULL
);

-- name: exists
SELECT count(*) FROM pg_catalog.pg_tables
WHERE tablename = 'dwh_runs' AND schemaname = current_schema();

-- name: next_attempt
SELECT COALESCE(MAX(attempt), 0) + 1 FROM dwh_runs WHERE day = CAST($1 AS date);

-- name: insert
INSERT INTO dwh_runs (run_id, day, attempt, status, started_at, steps, host, pid, dwh_version)
VALUES ($1, CAST($2 AS date), $3, 'running', CAST($4 AS timestamp), $5, $6, $7, $8);

-- Attempts left running by a process that is gone: only a run holding the run lock calls
-- this, and every attempt is made under the lock, so none of them is still at work. They
-- keep no end time (they did not finish) and say what became of them. $1: the run ids, comma
-- separated, of the run's own attempts that still run (a batch's days, held for its transform).
-- name: abandon
UPDATE dwh_runs
SET status = 'abandoned',
    error = 'not finished: the process (' || host || ', pid ' || CAST(pid AS varchar(16)) || ') stopped during the attempt'
WHERE status = 'running' AND POSITION(run_id IN CAST($1 AS varchar(65535))) = 0;

-- name: progress
UPDATE dwh_runs SET steps = $2 WHERE run_id = $1;

-- name: finish
UPDATE dwh_runs
SET status = $2, finished_at = CAST($3 AS timestamp), exit_code = $4, error = $5, steps = $6
WHERE run_id = $1;

-- name: select
SELECT run_id, to_char(day, 'YYYY-MM-DD'), attempt, status,
       to_char(started_at, 'YYYY-MM-DD HH24:MI:SS'), to_char(finished_at, 'YYYY-MM-DD HH24:MI:SS'),
       exit_code, error, steps, host, pid, dwh_version
FROM dwh_runs
ORDER BY day, attempt;

-- PostgreSQL: how long a step's statement may wait for a table lock another session holds
-- (an analyst's open transaction, a `dwh load` by hand) before it gives up with 55P03, a
-- transient failure the run retries. 0 waits for ever.
-- name: set_lock_timeout
SELECT set_config('lock_timeout', $1, false);

-- What the load recorded of each events file, for the days that succeeded: a file whose
-- size, time or ETag differs now runs its day again (ChangedInputs). The manifest may not
-- be there yet (a warehouse dwh never loaded).
-- name: manifest_exists
SELECT count(*) FROM pg_catalog.pg_tables
WHERE tablename = 'dwh_loaded_files' AND schemaname = current_schema();

-- name: recorded_events
SELECT path, size_bytes, mtime_us, etag FROM dwh_loaded_files WHERE table_name = 'staging_events';

-- name: succeeded
SELECT to_char(day, 'YYYY-MM-DD'), to_char(MAX(finished_at), 'YYYY-MM-DD HH24:MI:SS')
FROM dwh_runs
WHERE status = 'succeeded'
GROUP BY day;

-- PostgreSQL: the run lock, a session-level advisory lock (a key of its own, not the
-- migrations'), released by the server when the session ends however it ends.
-- name: try_lock_postgres
SELECT pg_try_advisory_lock($1);

-- name: lock_postgres
SELECT pg_advisory_lock($1);

-- name: unlock_postgres
SELECT pg_advisory_unlock($1);

-- name: holder
SELECT host, pid, to_char(since, 'YYYY-MM-DD HH24:MI:SS'), to_char(heartbeat_at, 'YYYY-MM-DD HH24:MI:SS'),
       CASE WHEN heartbeat_at < CAST($1 AS timestamp) THEN 1 ELSE 0 END
FROM dwh_run_lock
WHERE name = 'run';

-- name: lock_table
LOCK dwh_run_lock;

-- name: clear_holder
DELETE FROM dwh_run_lock WHERE name = 'run';

-- name: set_holder
INSERT INTO dwh_run_lock (name, host, pid, since, heartbeat_at)
VALUES ('run', $1, $2, CAST($3 AS timestamp), CAST($3 AS timestamp));

-- name: heartbeat
UPDATE dwh_run_lock SET heartbeat_at = CAST($3 AS timestamp) WHERE name = 'run' AND host = $1 AND pid = $2;

-- name: release
DELETE FROM dwh_run_lock WHERE name = 'run' AND host = $1 AND pid = $2;
