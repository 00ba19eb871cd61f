-- \dt: the tables and views on the search path, with their approximate row counts.
SELECT c.relname AS name,
       CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                      WHEN 'p' THEN 'partitioned table' ELSE c.relkind::text END AS kind,
       n.nspname AS schema,
       GREATEST(c.reltuples, 0)::bigint AS estimated_rows
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'v', 'm', 'p')
  AND n.nspname = ANY (current_schemas(false))
ORDER BY n.nspname, c.relname;
