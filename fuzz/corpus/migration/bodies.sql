-- migrate:up transaction:false
CREATE FUNCTION f() RETURNS text AS $body$
-- migrate:down
SELECT 'x;y';
$body$ LANGUAGE sql;
CREATE TABLE a$b (x int); /* -- dwh:end */
SELECT E'\'';
-- dwh:postgres
SELECT 1;
-- dwh:end
-- migrate:down
DROP FUNCTION f();
