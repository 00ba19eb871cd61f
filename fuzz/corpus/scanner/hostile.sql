/* a /* b */ delete */ SELECT 1;
SELECT $q$ limit $q$ AS v;
SELECT E'\' delete ', e'\\', 'it''s' AS "a "";b" -- c; d
;
SELECT $1, a$b$, $2::int, $_t1$ x $_t1$, $$;$$ FROM x$y;
SELECT 'é✓' AS "ü", $ü$ x $ü$;
-- dwh:postgres
SELECT $$
-- dwh:end
$$;
-- dwh:end
