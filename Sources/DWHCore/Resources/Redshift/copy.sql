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
-- The rows of the last COPY of this session that Redshift refused (provisioned clusters).
SELECT TRIM(filename), line_number, TRIM(colname), TRIM(err_reason)
FROM stl_load_errors
WHERE query = pg_last_copy_id()
ORDER BY line_number
LIMIT 20

-- name: load_errors_serverless
-- The same from the SYS view, which serverless workgroups and concurrency scaling fill.
SELECT TRIM(file_name), line_number, TRIM(column_name), TRIM(error_message)
FROM sys_load_error_detail
WHERE query_id = pg_last_copy_id()
ORDER BY line_number
LIMIT 20
