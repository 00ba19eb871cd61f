-- name: odd
-- description: a header with CRLF, a choice and no SQL after it
-- param: by agent|browser|os = browser
-- param: since timestamp = 2018-11-01 08:00
-- param: limit int =
SELECT $1, $2::timestamp, $3::int;