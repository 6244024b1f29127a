#!/usr/bin/env python3
"""Fit lmp's evidence models again with statsmodels and compare.

    python3 bench/evidence_statsmodels.py MEASURE-models.json

Reads the panel the JSON names (beside it, as `lmp evidence export` writes
them), builds each formula's design with patsy, leaves out the columns lmp
found the others explain (`dropped`: a facility whose teams are all of one
kind of unit, say — no data can tell those apart), fits it with
statsmodels' OLS, errors clustered by team and Student's t intervals, and
checks that every coefficient lmp reports —
estimate, standard error and both ends of its interval — agrees with
statsmodels' to 6 significant digits. Prints one line per model and exits
non-zero on any disagreement.
"""
import json
import os
import sys

import pandas as pd
import patsy
import statsmodels.api as sm

SIGNIFICANT = 6


def statsmodels_name(name):
    """lmp's coefficient name as patsy names the same column."""
    if name == "const":
        return "Intercept"
    for prefix, term in [
        ("level ", "C(level, Treatment(1))[T.{}]"),
        ("facility ", "C(facility)[T.{}]"),
        ("unit type ", "C(unit_type)[T.{}]"),
        ("year ", "C(year)[T.{}]"),
        ("month ", "C(month)[T.{}]"),
    ]:
        if name.startswith(prefix):
            return term.format(name[len(prefix):])
    return name


def agrees(ours, theirs):
    scale = max(abs(ours), abs(theirs))
    if scale == 0:
        return True
    return abs(ours - theirs) <= 0.5 * 10 ** (1 - SIGNIFICANT) * scale


def main(path):
    with open(path) as f:
        models = json.load(f)
    panel_path = os.path.join(os.path.dirname(path), models["panel"])
    panel = pd.read_csv(panel_path, dtype={"team": str, "facility": str, "unit_type": str, "month": str},
                        keep_default_na=False)
    failures = 0
    checked = 0
    for key, formula in models["formulas"].items():
        fitted = models["evidence"][key]
        if "fit" not in fitted:
            print(f"{key}: lmp fitted nothing ({fitted}); skipped")
            continue
        ours = fitted["fit"]
        y, x = patsy.dmatrices(formula, panel, return_type="dataframe")
        dropped = [statsmodels_name(d) for d in ours["dropped"]]
        missing = [d for d in dropped if d not in x.columns]
        if missing:
            print(f"{key}: lmp dropped columns patsy does not make: {missing}")
            failures += 1
        x = x.drop(columns=[d for d in dropped if d in x.columns])
        result = sm.OLS(y, x).fit(
            cov_type="cluster", cov_kwds={"groups": pd.factorize(panel["team"])[0]}, use_t=True
        )
        if x.shape[1] != ours["parameters"]:
            print(f"{key}: statsmodels has {x.shape[1]} parameters, lmp {ours['parameters']}")
            failures += 1
        intervals = result.conf_int(alpha=1 - ours["confidence"])
        worst = 0.0
        for c in ours["coefficients"]:
            name = statsmodels_name(c["name"])
            if name not in result.params.index:
                print(f"{key}: statsmodels has no {name!r}")
                failures += 1
                continue
            pairs = [
                ("estimate", c["estimate"], result.params[name]),
                ("std_error", c["std_error"], result.bse[name]),
                ("low", c["low"], intervals.loc[name, 0]),
                ("high", c["high"], intervals.loc[name, 1]),
            ]
            for what, a, b in pairs:
                checked += 1
                scale = max(abs(a), abs(b))
                if scale > 0:
                    worst = max(worst, abs(a - b) / scale)
                if not agrees(a, b):
                    print(f"{key}: {c['name']} {what}: lmp {a!r}, statsmodels {b!r}")
                    failures += 1
        print(f"{key}: {len(ours['coefficients'])} coefficients; largest relative difference {worst:.1e}")
    print(f"{checked} numbers checked, {failures} disagree")
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
