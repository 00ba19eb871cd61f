-- Files from S3 are known by their ETag, which changes exactly when the object's bytes
-- do; LastModified changes on every upload, even of the same bytes. NULL for local files.

-- migrate:up
ALTER TABLE dwh_loaded_files ADD COLUMN etag varchar(128);

-- migrate:down
ALTER TABLE dwh_loaded_files DROP COLUMN etag;
