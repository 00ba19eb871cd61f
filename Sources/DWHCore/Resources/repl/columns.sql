-- The REPL's completion catalog: every column of every user table and view.
SELECT table_name, column_name
FROM information_schema.columns
WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
  AND table_schema = ANY (current_schemas(false))
ORDER BY table_name, ordinal_position;
