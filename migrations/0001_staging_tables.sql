-- Staging: the raw JSON as it is, one column per field, nothing refused.
--
-- staging_events keeps the order of log_json_path.json: Redshift's COPY with JSONPaths
-- maps by position, not by name. No NOT NULL anywhere: the logs have empty user ids,
-- NULL artists on non-NextSong pages, and numbers written as text.
-- varchar sizes are bytes on Redshift: each is several times the longest value in the
-- data, and the same on both dialects.

-- migrate:up
CREATE TABLE staging_events (
    artist          varchar(1024),
    auth            varchar(32),
    first_name      varchar(256),
    gender          varchar(8),
    item_in_session integer,
    last_name       varchar(256),
    length          double precision,
    level           varchar(16),
    location        varchar(1024),
    method          varchar(16),
    page            varchar(64),
    registration    double precision,
    session_id      integer,
    song            varchar(1024),
    status          integer,
    ts              bigint,
    user_agent      varchar(1024),
    user_id         varchar(32)
)
-- dwh:redshift
-- Staging is read whole by the transform, so an even spread is all it needs.
DISTSTYLE EVEN
-- dwh:end
;

CREATE TABLE staging_songs (
    num_songs        integer,
    artist_id        varchar(32),
    artist_latitude  double precision,
    artist_longitude double precision,
    artist_location  varchar(1024),
    artist_name      varchar(1024),
    song_id          varchar(32),
    title            varchar(1024),
    duration         double precision,
    year             integer
)
-- dwh:redshift
DISTSTYLE EVEN
-- dwh:end
;

-- migrate:down
DROP TABLE staging_songs;
DROP TABLE staging_events;
