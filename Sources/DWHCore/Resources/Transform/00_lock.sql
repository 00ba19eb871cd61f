-- One transform at a time, and none while a load writes: a load holds EXCLUSIVE on the
-- manifest until it commits, and this mode conflicts with it and with itself. Taken first,
-- so a transform waits for a running load and then sees all of its files.
-- dwh:postgres
LOCK TABLE dwh_loaded_files IN SHARE ROW EXCLUSIVE MODE;
-- dwh:end
-- dwh:redshift
LOCK dwh_loaded_files;
-- dwh:end
