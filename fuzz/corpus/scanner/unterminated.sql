SELECT 1; /* open /* nested */ ; 'x
$f$ body
