-- Redshift only: the tables of the schema in use ($1) whose sort order, deleted rows or
-- statistics have drifted past a limit, from SVV_TABLE_INFO (one row per non-empty table;
-- unsorted and stats_off are percentages, tbl_rows counts rows marked for deletion and
-- estimated_visible_rows does not). current_schema() is a leader-node function, which
-- cannot be mixed with this view, so the schema is asked for alone first.

-- name: schema
SELECT current_schema()

-- name: drifted
-- $2: unsorted % limit, $3: deleted % limit, $4: stats_off limit.
SELECT "table",
       COALESCE(unsorted, 0) AS unsorted,
       CASE WHEN tbl_rows > 0
            THEN CAST(100.0 * (tbl_rows - COALESCE(estimated_visible_rows, tbl_rows)) / tbl_rows AS numeric(5,2))
            ELSE 0 END AS deleted,
       COALESCE(stats_off, 0) AS stats_off,
       tbl_rows
FROM svv_table_info
WHERE "schema" = $1
  AND (COALESCE(unsorted, 0) > CAST($2 AS numeric(5,2))
       OR (tbl_rows > 0 AND 100.0 * (tbl_rows - COALESCE(estimated_visible_rows, tbl_rows)) / tbl_rows > CAST($3 AS numeric(5,2)))
       OR COALESCE(stats_off, 0) > CAST($4 AS numeric(5,2)))
ORDER BY "table"
