-- What the REPL asks the database about itself. On Redshift, current_schemas() returns
-- text, not an array, and it and current_schema() are leader-node-only functions, which
-- fail in a query that also reads tables on the compute nodes: the schema is asked for
-- alone first (`schema`), then passed to Redshift's SVV views (SVV_TABLES, SVV_COLUMNS,
-- SVV_TABLE_INFO in the Redshift developer guide) as the last parameter.

-- name: schema
SELECT current_schema()

-- name: columns
-- Completion: every column of every table and view of the schema in use.
-- dwh:postgres
SELECT table_name, column_name
FROM information_schema.columns
WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
  AND table_schema = ANY (current_schemas(false))
ORDER BY table_name, ordinal_position
-- dwh:end
-- dwh:redshift
SELECT table_name, column_name
FROM svv_columns
WHERE table_schema = $1
ORDER BY table_name, ordinal_position
-- dwh:end

-- name: describe
-- \d TABLE: a table's columns, types and whether they may be NULL.
SELECT column_name AS "column",
       data_type AS type,
       CASE is_nullable WHEN 'YES' THEN 'null' ELSE 'not null' END AS nullable,
       column_default AS "default"
-- dwh:postgres
FROM information_schema.columns
WHERE table_name = $1
  AND table_schema = ANY (current_schemas(false))
-- dwh:end
-- dwh:redshift
FROM svv_columns
WHERE table_name = $1
  AND table_schema = $2
-- dwh:end
ORDER BY ordinal_position

-- name: tables
-- \dt: the tables and views of the schema in use, with their approximate row counts.
-- dwh:postgres
SELECT c.relname AS name,
       CASE c.relkind WHEN 'r' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
                      WHEN 'p' THEN 'partitioned table' ELSE c.relkind::text END AS kind,
       n.nspname AS schema,
       GREATEST(c.reltuples, 0)::bigint AS estimated_rows
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'v', 'm', 'p')
  AND n.nspname = ANY (current_schemas(false))
ORDER BY n.nspname, c.relname
-- dwh:end
-- dwh:redshift
SELECT t.table_name AS name,
       CASE t.table_type WHEN 'BASE TABLE' THEN 'table' WHEN 'VIEW' THEN 'view' ELSE LOWER(t.table_type) END AS kind,
       t.table_schema AS schema,
       COALESCE(i.tbl_rows, 0)::bigint AS estimated_rows
FROM svv_tables t
LEFT JOIN svv_table_info i ON i."schema" = t.table_schema AND i."table" = t.table_name
WHERE t.table_schema = $1
ORDER BY t.table_schema, t.table_name
-- dwh:end
