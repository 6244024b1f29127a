-- Outcome measures, in force once both sides' keys accepted their
-- definition, and each team's monthly values of each, one row a series.
CREATE TABLE outcome_measures (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    domain TEXT NOT NULL,
    definition TEXT NOT NULL,
    unit TEXT NOT NULL,
    direction TEXT NOT NULL,
    accepted_by_change INTEGER NOT NULL REFERENCES joint_changes(id),
    in_force_at TEXT NOT NULL,
    UNIQUE (partnership_id, code)
);

-- months: little-endian f64s from first_month on (months since January of
-- year 0), NaN for a month with no value.
CREATE TABLE outcome_series (
    measure_id INTEGER NOT NULL REFERENCES outcome_measures(id),
    team_id INTEGER NOT NULL REFERENCES bodies(id),
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    first_month INTEGER NOT NULL,
    months BLOB NOT NULL,
    month_count INTEGER NOT NULL,
    PRIMARY KEY (measure_id, team_id)
) WITHOUT ROWID;

-- Each outcomes file taken in: what it added. The same file twice adds
-- nothing (a month's value is set once).
CREATE TABLE outcome_imports (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    file_name TEXT NOT NULL,
    rows_read INTEGER NOT NULL,
    values_added INTEGER NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
