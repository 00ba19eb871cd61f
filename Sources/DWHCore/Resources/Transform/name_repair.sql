-- A logged name and its display form, as NameRepair gives it (55_new_tracks.sql): sent once
-- per repaired name, the first time the transform sees it.
INSERT INTO dwh_name_repairs (logged, repaired) VALUES ($1, $2);
