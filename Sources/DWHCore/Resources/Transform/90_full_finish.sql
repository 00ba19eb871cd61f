-- The end of a full rebuild: the keys, indexes and foreign keys that 10_full_prepare.sql
-- removed are built again (a foreign key checks every row once here), then statistics.
-- Before that, the tracks kept from before the rebuild that no play refers to now go.
DELETE FROM tracks WHERE NOT EXISTS (SELECT 1 FROM songplays p WHERE p.track_id = tracks.track_id);
-- dwh:postgres
DO $$
DECLARE
    statement text;
BEGIN
    FOR statement IN SELECT restore FROM dwh_star_ddl ORDER BY position LOOP
        EXECUTE statement;
    END LOOP;
END
$$;
ANALYZE songplays, users, songs, artists, time, tracks, listener_artists, listener_taste, artist_pairs, artist_stats, artist_neighbours;
-- dwh:end
-- dwh:redshift
ANALYZE songplays;
ANALYZE tracks;
ANALYZE listener_artists;
ANALYZE artist_pairs;
-- dwh:end
