-- Server-side loading on Redshift, each statement under `-- name:`. {source}, {role},
-- {region}, {jsonpaths} and {max_errors} are filled by dwh with quoted literals from
-- dwh.cfg ([S3] LOG_DATA, SONG_DATA, LOG_JSONPATH; [IAM_ROLE] ARN; [AWS] REGION).
-- Staging is replaced in the same transaction as the COPY: Redshift reads the whole prefix.

-- name: clear_events
DELETE FROM staging_events

-- name: clear_songs
DELETE FROM staging_songs

-- name: copy_events
COPY staging_events (artist, auth, first_name, gender, item_in_session, last_name, length, level, location,
                     method, page, registration, session_id, song, status, ts, user_agent, user_id)
FROM {source}
IAM_ROLE {role}
REGION {region}
FORMAT AS JSON {jsonpaths}
TIMEFORMAT 'epochmillisecs'
MAXERROR {max_errors}

-- name: copy_songs
COPY staging_songs (num_songs, artist_id, artist_latitude, artist_longitude, artist_location, artist_name,
                    song_id, title, duration, year)
FROM {source}
IAM_ROLE {role}
REGION {region}
FORMAT AS JSON 'auto'
MAXERROR {max_errors}

-- name: load_errors
-- The rows Redshift refused in this session's last COPY (provisioned clusters). The COPY is
-- found by its query id in STL_QUERY, whose pid is this session's PG_BACKEND_PID():
-- pg_last_copy_id() is not updated when the COPY's transaction rolls back, as dwh's does
-- (PG_LAST_COPY_ID in the Redshift developer guide).
SELECT TRIM(e.filename), e.line_number, TRIM(e.colname), TRIM(e.err_reason)
FROM stl_load_errors e
WHERE e.query = (SELECT MAX(q.query) FROM stl_query q WHERE q.pid = pg_backend_pid() AND q.querytxt ILIKE 'copy %')
ORDER BY e.line_number
LIMIT 20

-- name: load_errors_serverless
-- The same from the SYS views, which serverless workgroups and concurrency scaling fill.
SELECT TRIM(d.file_name), d.line_number, TRIM(d.column_name), TRIM(d.error_message)
FROM sys_load_error_detail d
WHERE d.query_id = (SELECT MAX(h.query_id) FROM sys_query_history h
                    WHERE h.session_id = pg_backend_pid() AND h.query_type = 'COPY')
ORDER BY d.line_number
LIMIT 20

-- name: unload
-- A large export: the cluster writes the rows to S3 itself, in order, one header per part,
-- and a manifest naming the parts ({query}: the query as a quoted literal, its parameters
-- inlined as literals; {target}: the run's folder and name prefix). UNLOAD refuses a LIMIT
-- in the outer SELECT: such a query is exported through the connection instead.
UNLOAD ({query})
TO {target}
IAM_ROLE {role}
FORMAT AS CSV HEADER PARALLEL OFF MAXFILESIZE 6.2 GB MANIFEST

-- name: unload_count
SELECT pg_last_unload_count()

-- name: copy_events_manifest
-- An incremental load: only the objects of the manifest dwh wrote ({manifest}: its s3://
-- location), each listed once and mandatory. Its rows carry no file_id until tag_events.
COPY staging_events (artist, auth, first_name, gender, item_in_session, last_name, length, level, location,
                     method, page, registration, session_id, song, status, ts, user_agent, user_id)
FROM {manifest}
IAM_ROLE {role}
REGION {region}
MANIFEST
FORMAT AS JSON {jsonpaths}
TIMEFORMAT 'epochmillisecs'
MAXERROR {max_errors}

-- name: copy_songs_manifest
COPY staging_songs (num_songs, artist_id, artist_latitude, artist_longitude, artist_location, artist_name,
                    song_id, title, duration, year)
FROM {manifest}
IAM_ROLE {role}
REGION {region}
MANIFEST
FORMAT AS JSON 'auto'
MAXERROR {max_errors}

-- name: load_commits
-- What the session's last COPY committed, per object (provisioned clusters): compared with
-- the manifest before anything of the load is kept.
SELECT TRIM(c.filename), SUM(c.lines_scanned)
FROM stl_load_commits c
WHERE c.query = pg_last_copy_id()
GROUP BY TRIM(c.filename)
ORDER BY 1

-- name: copy_count
SELECT pg_last_copy_count()

-- name: tag_events
-- The rows the COPY just added (no file_id yet) take their file's id ($1).
UPDATE staging_events SET file_id = $1 WHERE file_id IS NULL

-- name: tag_songs
UPDATE staging_songs SET file_id = $1 WHERE file_id IS NULL

-- name: analyze_events
-- After a load that changed at least a tenth of the table's rows, outside its transaction:
-- COPY updates the statistics of a table that was empty only. A smaller load is left to
-- Redshift's automatic analyze: its own ANALYZE would skip a table where fewer rows than
-- analyze_threshold_percent (10 %) changed.
ANALYZE staging_events

-- name: analyze_songs
ANALYZE staging_songs

-- name: delete_event_rows
-- A changed object's old rows ($1: the file id of its copy group).
DELETE FROM staging_events WHERE file_id = $1

-- name: delete_song_rows
DELETE FROM staging_songs WHERE file_id = $1

-- name: remember_removed_group
-- The objects of a copy group whose rows went ($1: the group's file id, $2: its tag, the
-- content_hash of its members) and are in the star schema: the next transform removes
-- them. That is the changed objects, the members copied again, and any member no longer
-- listed, whose rows went with its group.
INSERT INTO dwh_transform_removed (file_id, table_name)
SELECT file_id, table_name FROM dwh_loaded_files
WHERE (file_id = $1 OR content_hash = $2) AND transformed_at IS NOT NULL

-- name: forget_group
DELETE FROM dwh_loaded_files WHERE file_id = $1 OR content_hash = $2

-- name: record_files
-- The manifest rows of the objects one COPY loaded, in its transaction, many to a statement:
-- {rows} is record_file_row once per object, its parameters numbered on from the last
-- object's ($10 to $18 for the second). rows_loaded is what STL_LOAD_COMMITS says was
-- scanned; content_hash (unused for S3 objects, which the ETag identifies) names the file id
-- the object's staging rows carry (its COPY's first).
INSERT INTO dwh_loaded_files (file_id, table_name, path, size_bytes, mtime_us, content_hash, rows_loaded, run_id,
                              etag, loaded_at)
VALUES {rows}

-- name: record_file_row
-- One object's row of record_files, in the order of its columns.
($1, $2, $3, $4, $5, $6, $7, $8, $9, SYSDATE)

-- name: recorded_objects
-- The objects recorded for one staging table ($1) under a prefix ($2).
SELECT file_id, table_name, path, size_bytes, mtime_us, rows_loaded, etag, content_hash
FROM dwh_loaded_files
WHERE table_name = $1 AND (path = $2 OR LEFT(path, LEN($2) + 1) = $2 || '/')

-- name: recorded_rows
-- The rows the manifest says a staging table ($1) holds, before the load changes it.
SELECT COALESCE(SUM(rows_loaded), 0) FROM dwh_loaded_files WHERE table_name = $1

-- name: last_file_id
SELECT COALESCE(MAX(file_id), 0) FROM dwh_loaded_files

-- name: lock_manifest
LOCK dwh_loaded_files

-- name: untracked_rows
-- Staging rows no object accounts for (file_id NULL): the whole-prefix COPY's. An incremental
-- load refuses them rather than tag them with the first object it copies.
SELECT (SELECT COUNT(*) FROM staging_events WHERE file_id IS NULL),
       (SELECT COUNT(*) FROM staging_songs WHERE file_id IS NULL)

-- name: clear_manifest
-- `load --full-refresh` with a manifest folder: staging, the manifest and the transform's
-- removals are emptied in the load's transaction, then every object is copied and recorded.
-- A whole-prefix load empties them after its COPYs: its rows have no file ids, so nothing
-- counts as transformed and the next transform rebuilds from staging.
DELETE FROM dwh_loaded_files

-- name: clear_removed
DELETE FROM dwh_transform_removed
