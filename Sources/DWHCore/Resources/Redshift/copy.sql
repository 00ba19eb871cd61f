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
