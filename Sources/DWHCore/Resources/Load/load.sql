-- The statements `dwh load` runs on PostgreSQL, each under `-- name:`.
-- The staging COPY statements are built from the column lists in StagingTable.swift.

-- name: lock_manifest
-- One load at a time: a second run waits here, then sees the first one's files.
LOCK TABLE dwh_loaded_files IN EXCLUSIVE MODE

-- name: scope_manifest
-- What read_manifest reads, until the transaction ends: the records of the tables the load
-- fills ($1, an array) and those under its sources ($2, their roots), whatever their table,
-- since a file may be loaded into another table than before. A day's events then skip the
-- song files' records. COPY takes no parameters, so these go as settings.
SELECT set_config('dwh.manifest_tables', $1, true), set_config('dwh.manifest_roots', $2, true)

-- name: read_manifest
-- Streamed (COPY, not a result set): the manifest of a big load holds a row per file.
-- In the byte order of paths, the order the loader walks sources in (see ManifestCursor).
COPY (
    WITH wanted AS (
        SELECT file_id FROM dwh_loaded_files
        WHERE table_name IN (SELECT unnest(CAST(current_setting('dwh.manifest_tables') AS text[])))
        UNION
        SELECT f.file_id
        FROM dwh_loaded_files f
        JOIN (SELECT unnest(CAST(current_setting('dwh.manifest_roots') AS text[])) AS root) r
          ON f.path = r.root OR starts_with(f.path, CASE WHEN right(r.root, 1) = '/' THEN r.root ELSE r.root || '/' END)
    )
    SELECT file_id, table_name, path, size_bytes, mtime_us, rows_loaded, to_char(loaded_at, 'YYYY-MM-DD HH24:MI:SS'), etag,
           content_hash
    FROM dwh_loaded_files
    WHERE file_id IN (SELECT file_id FROM wanted)
    ORDER BY path COLLATE "C"
) TO STDOUT

-- name: recorded_under
-- Files recorded under a folder's name as given ($1), which dwh recorded before it resolved
-- links to real paths.
SELECT file_id, path, size_bytes, mtime_us FROM dwh_loaded_files
WHERE path = $1 OR left(path, char_length($1) + 1) = $1 || '/'

-- name: adopt_paths
-- Those found at their real paths ($2) unchanged move there; a path already recorded stays.
UPDATE dwh_loaded_files SET path = moved.path
FROM unnest($1::bigint[], $2::text[]) AS moved(file_id, path)
WHERE dwh_loaded_files.file_id = moved.file_id
  AND NOT EXISTS (SELECT 1 FROM dwh_loaded_files other WHERE other.path = moved.path)

-- name: park_files
-- Files found under a new path, or touched (same path, new time): their file ids and rows
-- stay. Their paths move through a placeholder first (move_files then sets them), so that
-- two files can swap paths without a moment where one path is recorded twice.
UPDATE dwh_loaded_files SET path = left(path, 1900) || ' @ moving ' || file_id
WHERE file_id = ANY ($1::bigint[])

-- name: move_files
UPDATE dwh_loaded_files SET path = moved.path, mtime_us = moved.mtime_us
FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS moved(file_id, path, mtime_us)
WHERE dwh_loaded_files.file_id = moved.file_id

-- name: last_file_id
SELECT COALESCE(MAX(file_id), 0) FROM dwh_loaded_files

-- name: full_refresh
TRUNCATE staging_events, staging_songs, dwh_loaded_files

-- name: delete_event_rows
DELETE FROM staging_events WHERE file_id = ANY ($1::bigint[])

-- name: delete_song_rows
DELETE FROM staging_songs WHERE file_id = ANY ($1::bigint[])

-- name: remember_removed
-- A replaced file whose rows are in the star schema: the next transform removes them.
INSERT INTO dwh_transform_removed (file_id, table_name)
SELECT file_id, table_name FROM dwh_loaded_files WHERE file_id = ANY ($1::bigint[]) AND transformed_at IS NOT NULL

-- name: forget_files
DELETE FROM dwh_loaded_files WHERE file_id = ANY ($1::bigint[])

-- name: copy_manifest
-- Binary: a big load sends a row per file, and the server stores binary rows without
-- parsing numbers and timestamps (see Load/ManifestRow.swift for the layout).
COPY dwh_loaded_files (file_id, table_name, path, size_bytes, mtime_us, content_hash, rows_loaded, run_id, loaded_at, etag)
FROM STDIN WITH (FORMAT binary)

-- name: copy_errors
COPY dwh_load_errors (run_id, file, line, field, reason, raw_text, recorded_at) FROM STDIN

-- name: now
-- The transaction's time in UTC: as text (error rows), and as microseconds since
-- 2000-01-01, the value of a binary timestamp (manifest rows).
SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'),
       ((EXTRACT(EPOCH FROM now()) - 946684800) * 1000000)::bigint

-- name: table_exists
SELECT to_regclass($1) IS NOT NULL
