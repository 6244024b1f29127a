"""The peers of `lmp eis match`: the same instance, the same objective,
solved with SciPy's `linear_sum_assignment` or OR-Tools' min-cost flow.

    python3 bench/eis_peers.py scipy|ortools W.csv V.csv P.csv
    python3 bench/eis_peers.py score W.csv V.csv P.csv   # the objective of any P.csv

Qualification is read from the files here, independently of lmp: qualified =
same job class and every required licence; retraining = the worker's class in
retrain_from and the licences held; comparable = qualified and the same
pay_band, fte, shift and region. Priority: earlier seniority_date first, ties
by worker_id.

The objective is lexicographic; each peer solves it in the two phases it
splits into exactly:
 1. the placed set: the maximum-weight matching with worker weight N - position
    (positive and strictly decreasing, so it is the priority-greedy basis of
    the transversal matroid: the most workers, the best set by priority);
 2. that set placed at least cost, where a job's cost puts the criteria in
    separate digit ranges: not comparable x S1 + retraining x S2 + kind step x
    (N - position), with S2 > every possible sum of the last term and S1 >
    S2 x every possible retraining count.
Prints the objective, and each phase's solve time (building the solver's input
from the edge list included, reading the CSV files not).
"""
import csv
import sys
import time

COMPARABLE, QUALIFIED, RETRAINING = 0, 1, 2


def split(text):
    return frozenset(x for x in text.split(";") if x)


def read(workers_csv, vacancies_csv):
    with open(workers_csv, newline="") as f:
        workers = list(csv.DictReader(f))
    with open(vacancies_csv, newline="") as f:
        vacancies = list(csv.DictReader(f))
    workers.sort(key=lambda w: (w["seniority_date"], w["worker_id"]))  # priority order
    by_class, by_retraining = {}, {}
    for j, v in enumerate(vacancies):
        v["required"] = split(v["required_licences"])
        v["fte"] = round(float(v["fte"]) * 100)
        by_class.setdefault(v["job_class"], []).append(j)
        for c in split(v["retrain_from"]) - {v["job_class"]}:
            by_retraining.setdefault(c, []).append(j)
    edges = []  # (worker position, vacancy index, kind)
    for i, w in enumerate(workers):
        held = split(w["licences"])
        fte = round(float(w["fte"]) * 100)
        for j in by_class.get(w["job_class"], []):
            v = vacancies[j]
            if v["required"] <= held:
                same = (v["pay_band"], v["fte"], v["shift"], v["region"]) == (w["pay_band"], fte, w["shift"], w["region"])
                edges.append((i, j, COMPARABLE if same else QUALIFIED))
        for j in by_retraining.get(w["job_class"], []):
            if vacancies[j]["required"] <= held:
                edges.append((i, j, RETRAINING))
    return workers, vacancies, edges


def scales(n):
    s2 = n * (n + 1) + 1
    return s2 * (n + 1), s2


def cost(kind, position, n, s1, s2):
    return (s1 if kind != COMPARABLE else 0) + (s2 if kind == RETRAINING else 0) + kind * (n - position)


def objective(kind_of, n):
    """(placed, placed positions, comparable, retraining, weighted steps)."""
    placed = sorted(i for i, k in kind_of.items())
    kinds = list(kind_of.values())
    steps = sum(k * (n - i) for i, k in kind_of.items())
    return len(placed), placed, kinds.count(COMPARABLE), kinds.count(RETRAINING), steps


def solve_scipy(workers, vacancies, edges):
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    n, m = len(workers), len(vacancies)
    rows = np.fromiter((e[0] for e in edges), dtype=np.int64, count=len(edges))
    cols = np.fromiter((e[1] for e in edges), dtype=np.int64, count=len(edges))
    kinds = np.fromiter((e[2] for e in edges), dtype=np.int64, count=len(edges))
    started = time.perf_counter()
    weight = np.zeros((n, m))
    weight[rows, cols] = n - rows
    r, c = linear_sum_assignment(weight, maximize=True)
    placed = np.sort(r[weight[r, c] > 0])
    del weight
    phase1 = time.perf_counter() - started
    started = time.perf_counter()
    s1, s2 = scales(n)
    index = np.full(n, -1)
    index[placed] = np.arange(len(placed))
    keep = index[rows] >= 0
    matrix = np.full((len(placed), m), np.inf)
    k = kinds[keep]
    matrix[index[rows[keep]], cols[keep]] = (
        np.where(k != COMPARABLE, float(s1), 0.0) + np.where(k == RETRAINING, float(s2), 0.0) + k * (n - rows[keep])
    )
    r, c = linear_sum_assignment(matrix)
    phase2 = time.perf_counter() - started
    kind_at = {(i, j): kind for i, j, kind in edges}
    return {int(placed[i]): int(j) for i, j in zip(r, c)}, kind_at, phase1, phase2


def solve_ortools(workers, vacancies, edges):
    from ortools.graph.python import min_cost_flow

    n, m = len(workers), len(vacancies)
    source, sink = n + m, n + m + 1
    started = time.perf_counter()
    flow = min_cost_flow.SimpleMinCostFlow()
    for i in range(n):
        flow.add_arc_with_capacity_and_unit_cost(source, i, 1, -(n - i))
    for i, j, _ in edges:
        flow.add_arc_with_capacity_and_unit_cost(i, n + j, 1, 0)
    for j in range(m):
        flow.add_arc_with_capacity_and_unit_cost(n + j, sink, 1, 0)
    # As much as can flow from the source (each worker once) at least cost.
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise SystemExit(f"OR-Tools phase 1: status {status}")
    placed = sorted(i for i in range(n) if flow.flow(i) == 1)
    phase1 = time.perf_counter() - started
    started = time.perf_counter()
    s1, s2 = scales(n)
    chosen = set(placed)
    flow = min_cost_flow.SimpleMinCostFlow()
    for i in placed:
        flow.add_arc_with_capacity_and_unit_cost(source, i, 1, 0)
    arcs = []
    for i, j, kind in edges:
        if i in chosen:
            arcs.append((flow.add_arc_with_capacity_and_unit_cost(i, n + j, 1, cost(kind, i, n, s1, s2)), i, j))
    for j in range(m):
        flow.add_arc_with_capacity_and_unit_cost(n + j, sink, 1, 0)
    flow.set_node_supply(source, len(placed))
    flow.set_node_supply(sink, -len(placed))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise SystemExit(f"OR-Tools phase 2: status {status} (costs up to {s1 + s2:.3g})")
    phase2 = time.perf_counter() - started
    kind_at = {(i, j): kind for i, j, kind in edges}
    return {i: j for arc, i, j in arcs if flow.flow(arc) == 1}, kind_at, phase1, phase2


def write(workers, vacancies, job_of, kind_at, path):
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["worker_id", "vacancy_id", "comparable", "retraining"])
        for i, j in sorted(job_of.items()):
            kind = kind_at[(i, j)]
            out.writerow(
                [workers[i]["worker_id"], vacancies[j]["vacancy_id"],
                 str(kind == COMPARABLE).lower(), str(kind == RETRAINING).lower()]
            )


def show(label, kind_of, n):
    placed, _, comparable, retraining, steps = objective(kind_of, n)
    print(f"{label}: placed {placed}, comparable {comparable}, retraining {retraining}, weighted steps {steps}")


def main():
    solver, workers_csv, vacancies_csv, out = sys.argv[1:5]
    workers, vacancies, edges = read(workers_csv, vacancies_csv)
    n = len(workers)
    if solver == "score":
        position = {w["worker_id"]: i for i, w in enumerate(workers)}
        column = {v["vacancy_id"]: j for j, v in enumerate(vacancies)}
        kind_at = {(i, j): kind for i, j, kind in edges}
        with open(out, newline="") as f:
            kind_of = {position[r["worker_id"]]: kind_at[(position[r["worker_id"]], column[r["vacancy_id"]])]
                       for r in csv.DictReader(f)}
        show(out, kind_of, n)
        return
    solve = {"scipy": solve_scipy, "ortools": solve_ortools}[solver]
    job_of, kind_at, phase1, phase2 = solve(workers, vacancies, edges)
    write(workers, vacancies, job_of, kind_at, out)
    show(solver, {i: kind_at[(i, j)] for i, j in job_of.items()}, n)
    print(f"{solver}: {len(edges)} edges; phase 1 {phase1:.2f} s, phase 2 {phase2:.2f} s, solve {phase1 + phase2:.2f} s")


main()
