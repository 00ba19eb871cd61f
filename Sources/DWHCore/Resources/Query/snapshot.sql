-- The statements that make several queries read one snapshot (a report, the checks): a
-- load that commits meanwhile is either wholly in what they read or not at all.

-- name: begin
-- Redshift accepts the same words and runs every transaction as serializable.
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY

-- name: end
COMMIT

-- name: rollback
ROLLBACK

-- name: savepoint
-- A query that fails must not end the snapshot for the queries after it. Redshift has no
-- savepoints (dwh sends these on PostgreSQL only): there a failure ends the transaction,
-- and the next query starts another one.
SAVEPOINT dwh_query

-- name: release
RELEASE SAVEPOINT dwh_query

-- name: rollback_to
ROLLBACK TO SAVEPOINT dwh_query
