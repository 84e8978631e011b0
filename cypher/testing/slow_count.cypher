// Tests only: a read that runs for seconds, to show the transaction timeout of the API's reads.
UNWIND range(1, $n) AS x
RETURN count(x) AS n
