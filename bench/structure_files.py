"""Write the files a partnership at national scale starts from: org, people,
bodies (5,400) and seats (170,000), into the directory named on the command
line. Deterministic: the same files every run."""

import csv
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
REGIONS, HOSPITALS_PER_REGION, DEPARTMENTS_PER_HOSPITAL = 8, 25, 20  # 4,000 departments
LOCALS = 40
MEMBERS, MANAGERS = 150_000, 16_000
BODIES, SEATS = 5_400, 170_000


def writer(name, header):
    f = open(os.path.join(out, name), "w", newline="")
    w = csv.writer(f)
    w.writerow(header)
    return f, w


f, w = writer("org.csv", ["code", "kind", "name", "parent_code"])
w.writerow(["INT-1", "international", "International", ""])
for l in range(LOCALS):
    w.writerow([f"L-{l}", "local", f"Local {l}", "INT-1"])
departments, hospitals = [], []
for r in range(REGIONS):
    w.writerow([f"R-{r}", "region", f"Region {r}", ""])
    for h in range(HOSPITALS_PER_REGION):
        hc = f"H-{r}-{h}"
        hospitals.append((hc, r))
        w.writerow([hc, "hospital", f"Hospital {r}-{h}", f"R-{r}"])
        for d in range(DEPARTMENTS_PER_HOSPITAL):
            dc = f"D-{r}-{h}-{d}"
            departments.append((dc, hc))
            w.writerow([dc, "department", f"Department {r}-{h}-{d}", hc])
f.close()

f, w = writer("people.csv", ["employee_no", "name", "kind", "local_code", "unit_code", "job_title"])
for i in range(MEMBERS):
    w.writerow([f"M{i:06d}", f"Member {i}", "union_member", f"L-{i % LOCALS}", departments[i % len(departments)][0], "RN"])
for i in range(MANAGERS):
    w.writerow([f"G{i:06d}", f"Manager {i}", "manager", "", departments[i % len(departments)][0], "Manager"])
f.close()

# The strategy group, a council per region and per hospital, then teams.
f, w = writer("bodies.csv", ["code", "level", "name", "unit_code", "parent_code", "decides"])
bodies = [("NSG", None)]
w.writerow(["NSG", "national", "National Strategy Group", "", "", "consensus"])
for r in range(REGIONS):
    w.writerow([f"RC-{r}", "regional", f"Regional council {r}", f"R-{r}", "NSG", "consensus"])
    bodies.append((f"RC-{r}", None))
for hc, r in hospitals:
    w.writerow([f"FC-{hc}", "facility", f"Council {hc}", hc, f"RC-{r}", "consensus"])
    bodies.append((f"FC-{hc}", None))
team = 0
while len(bodies) < BODIES:
    dc, hc = departments[team % len(departments)]
    code = f"UBT-{team:05d}"
    w.writerow([code, "team", f"Team {team}", dc, f"FC-{hc}", ""])
    bodies.append((code, dc))
    team += 1
f.close()

# Two co-leads a body (one per side), then members until 170,000 seats;
# one seat in ten is history.
f, w = writer("seats.csv", ["body_code", "employee_no", "role", "side", "from", "to"])
written = 0
for b, (code, _) in enumerate(bodies):
    w.writerow([code, f"M{b:06d}", "co-lead", "labor", "2023-01-15", ""])
    w.writerow([code, f"G{b % MANAGERS:06d}", "co-lead", "management", "2023-02-01", ""])
    written += 2
member = len(bodies)
while written < SEATS:
    code = bodies[written % len(bodies)][0]
    history = written % 10 == 0
    w.writerow([code, f"M{member % MEMBERS:06d}", "member", "labor", "2022-03-01", "2024-06-30" if history else ""])
    member += 1
    written += 1
f.close()
