-- \d TABLE: a table's columns, types and whether they may be NULL.
SELECT column_name AS column,
       data_type AS type,
       CASE is_nullable WHEN 'YES' THEN 'null' ELSE 'not null' END AS nullable,
       column_default AS "default"
FROM information_schema.columns
WHERE table_name = $1
  AND table_schema = ANY (current_schemas(false))
ORDER BY ordinal_position;
