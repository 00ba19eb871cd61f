-- The end of a full rebuild: the keys, indexes and foreign keys that 10_full_prepare.sql
-- removed are built again (a foreign key checks every row once here), then statistics.
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
ANALYZE songplays, users, songs, artists, time;
-- dwh:end
-- dwh:redshift
ANALYZE songplays;
-- dwh:end
