"""The staffing compliance check written in DuckDB SQL, for comparison with
`lmp staffing check` on the same files: the Title 22 ratio in force today
per unit type, licensed nurses counted (never the triage nurse; a charge
nurse only in direct care), the ED's trauma and critical patients at their
own ratios, each unit-hour as bad as its worst reading. Prints the same
totals `lmp staffing check` prints.

    python3 bench/staffing_duckdb.py units.csv readings.csv
"""
import sys
import time

import duckdb

units_csv, readings_csv = sys.argv[1], sys.argv[2]
started = time.perf_counter()
db = duckdb.connect()
db.execute(
    """
CREATE TABLE ratios AS SELECT * FROM (VALUES
  ('critical-care', 2, 0, 0), ('nicu', 2, 0, 0), ('post-anesthesia', 2, 0, 0),
  ('labor-delivery', 2, 0, 0), ('step-down', 3, 0, 0), ('telemetry', 4, 0, 0),
  ('pediatrics', 4, 0, 0), ('antepartum', 4, 0, 0), ('postpartum-couplets', 4, 0, 0),
  ('emergency', 4, 0, 1), ('specialty', 4, 0, 0), ('continuing-care-nursery', 4, 0, 0),
  ('med-surg', 5, 0, 0), ('psychiatric', 6, 0, 0), ('postpartum-mothers', 6, 0, 0),
  ('well-baby-nursery', 8, 0, 0), ('operating-room', 0, 1, 0)
) AS t(unit_type, per_nurse, per_room, triage_required)
"""
)
totals = db.execute(
    f"""
WITH units AS (
  SELECT unit, unit_type, contains(licensed_roles, 'lvn') AS lvn_counts
  FROM read_csv('{units_csv}', header = true, all_varchar = true)
),
readings AS (
  SELECT * FROM read_csv('{readings_csv}', header = true, columns = {{
    'unit': 'VARCHAR', 'at': 'TIMESTAMP', 'patients': 'INTEGER', 'critical': 'INTEGER',
    'trauma': 'INTEGER', 'occupied_rooms': 'INTEGER', 'charge_off_care': 'INTEGER',
    'triage': 'INTEGER', 'rn': 'INTEGER', 'lvn': 'INTEGER', 'cna': 'INTEGER', 'clerk': 'INTEGER'}})
),
counted AS (
  SELECT r.unit, date_trunc('hour', r.at) AS hour, r.patients, r.critical AS c, r.trauma AS t,
         r.patients - r.critical - r.trauma AS o, r.occupied_rooms AS rooms, r.triage,
         greatest(0, r.rn + CASE WHEN u.lvn_counts THEN r.lvn ELSE 0 END - r.charge_off_care - r.triage) AS n,
         x.per_nurse AS per, x.per_room, x.triage_required
  FROM readings r JOIN units u USING (unit) JOIN ratios x USING (unit_type)
),
required AS (
  SELECT *,
    CASE
      WHEN per_room > 0 THEN rooms * per_room
      WHEN triage_required > 0 THEN
        -- trauma 1:1, critical 1:2 (a last critical nurse may take one more patient), the rest 1:4
        t + ceil(c / 2) + ceil(greatest(0, o - (ceil(c / 2) * 2 - c)) / 4)
      ELSE ceil(patients / per)
    END AS need,
    CASE WHEN triage_required > 0 AND patients > 0 AND triage < triage_required THEN 1 ELSE 0 END AS triage_short
  FROM counted
),
judged AS (
  SELECT unit, hour, triage_short, greatest(0, need - n) AS short,
    CASE WHEN need <= n THEN 0
      WHEN per_room > 0 THEN greatest(0, rooms - n // per_room)
      WHEN triage_required > 0 THEN patients - (
        -- loosest first: others 1:4, then critical beside a last nurse with one patient, then 1:2, then trauma
        least(o, 4 * n)
        + CASE WHEN least(o, 4 * n) % 4 = 1 AND c > 0 THEN 1 ELSE 0 END
        + least(c - CASE WHEN least(o, 4 * n) % 4 = 1 AND c > 0 THEN 1 ELSE 0 END,
                2 * (n - ceil(least(o, 4 * n) / 4)))
        + least(t, greatest(0, n - ceil(least(o, 4 * n) / 4)
                    - ceil(least(c - CASE WHEN least(o, 4 * n) % 4 = 1 AND c > 0 THEN 1 ELSE 0 END,
                                 2 * (n - ceil(least(o, 4 * n) / 4))) / 2))))
      ELSE greatest(0, patients - n * per)
    END AS affected
  FROM required
),
hours AS (
  SELECT unit, hour, max((short, triage_short, affected)) AS worst FROM judged GROUP BY unit, hour
)
SELECT count(*) AS hours,
       count(*) FILTER (WHERE worst[1] > 0 OR worst[2] > 0) AS short_hours,
       count(*) FILTER (WHERE worst[2] > 0) AS triage_short_hours,
       sum(worst[1]) AS nurse_hours_short,
       sum(worst[3]) AS patient_hours_affected
FROM hours
"""
).fetchone()
elapsed = time.perf_counter() - started
hours, short, triage_short, nurse_hours, affected = totals
print(f"duckdb: {hours} unit-hours checked in {elapsed:.2f} s")
print(
    f"{short} hours below the ratio, {triage_short} of them without a triage nurse; "
    f"{int(nurse_hours)} nurse-hours short; {int(affected)} patient-hours affected"
)
