"""From a people file, write the next night's: 2 % of people changed — 1 %
left (missing from the file), 0.5 % moved to another unit, 0.5 % renamed.
Deterministic. Usage: people_sync_file.py PEOPLE.csv ORG.csv OUT.csv"""

import csv
import sys

people, org, out = sys.argv[1:4]
departments = [row["code"] for row in csv.DictReader(open(org)) if row["kind"] == "department"]
with open(people, newline="") as f, open(out, "w", newline="") as g:
    reader = csv.DictReader(f)
    writer = csv.DictWriter(g, fieldnames=reader.fieldnames)
    writer.writeheader()
    for i, row in enumerate(reader):
        if i % 100 == 7:
            continue  # left
        if i % 200 == 13:
            row["unit_code"] = departments[(departments.index(row["unit_code"]) + 1) % len(departments)]
        elif i % 200 == 113:
            row["name"] = row["name"] + " Jr."
        writer.writerow(row)
