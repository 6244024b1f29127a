"""The peer for `lmp trust import-hours`: DuckDB loading the same payroll CSV
and computing the same per-local, per-period totals (counted hours, and the
9-cent shares rounded per worker and period, half up) into a DuckDB file.

    python3 bench/trust_duckdb.py FILE.csv OUT.duckdb
"""
import os
import sys

import duckdb

csv_path, out = sys.argv[1], sys.argv[2]
if os.path.exists(out):
    os.remove(out)
con = duckdb.connect(out)
con.execute(
    "CREATE TABLE hours AS SELECT * FROM read_csv(?, header = true, "
    "columns = {'worker_id': 'VARCHAR', 'local': 'VARCHAR', 'facility': 'VARCHAR', "
    "'period_start': 'DATE', 'period_end': 'DATE', 'hour_type': 'VARCHAR', 'hours': 'DECIMAL(12,2)'})",
    [csv_path],
)
con.execute(
    """
    CREATE TABLE totals AS
    WITH worker_periods AS (
        SELECT worker_id, local, facility, period_start, period_end,
               SUM(CASE WHEN hour_type IN ('regular', 'overtime', 'double_time') THEN hours ELSE 0 END) AS counted,
               SUM(CASE WHEN hour_type IN ('regular', 'overtime', 'double_time') THEN 0 ELSE hours END) AS other
        FROM hours GROUP BY ALL)
    SELECT local, period_start, period_end, COUNT(*) AS workers,
           SUM(counted) AS counted, SUM(other) AS other,
           SUM(CAST(FLOOR(counted * 9 + 0.5) AS BIGINT)) AS worker_cents,
           SUM(CAST(FLOOR(counted * 9 + 0.5) AS BIGINT)) AS employer_cents
    FROM worker_periods GROUP BY ALL
    """
)
rows, cents = con.execute("SELECT COUNT(*), SUM(worker_cents) FROM totals").fetchone()
con.close()
print(f"{rows} local-periods, {cents} worker cents")
