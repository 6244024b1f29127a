-- Joint staffing: nursing units, negotiated ratio rule sets, and the
-- hour-by-hour compliance taken in from readings files.

-- A rule set a partnership adds (another state's law, or one negotiated and
-- layered on a law, only stricter): lmp_core::staffing::rules::RuleSet as
-- JSON. The built-in law is not stored.
CREATE TABLE staffing_rule_sets (
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    code TEXT NOT NULL,
    rules_json TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    PRIMARY KEY (partnership_id, code)
);

-- A nursing unit: its Title 22 (or other) type, beds, the roles counted as
-- licensed nurses, the facility it sits in and the rule set governing it.
CREATE TABLE staffing_units (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    facility_id INTEGER NOT NULL REFERENCES units(id),
    unit_type TEXT NOT NULL,
    beds INTEGER NOT NULL,
    licensed_roles TEXT NOT NULL,
    rule_set TEXT NOT NULL,
    -- The unit-based team whose co-leads build its staffing plan.
    team_id INTEGER REFERENCES bodies(id),
    UNIQUE (partnership_id, code)
);

-- A readings file taken in, named by its SHA-256.
CREATE TABLE staffing_imports (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    readings INTEGER NOT NULL,
    unit_hours INTEGER NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    UNIQUE (partnership_id, sha256)
);

-- Each unit's day: hours checked, hours below the ratio, nurse-hours short,
-- patient-hours and those beyond what the nurses on duty could care for.
CREATE TABLE staffing_days (
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    staffing_unit_id INTEGER NOT NULL REFERENCES staffing_units(id),
    day TEXT NOT NULL,
    import_id INTEGER NOT NULL REFERENCES staffing_imports(id),
    hours INTEGER NOT NULL,
    short_hours INTEGER NOT NULL,
    triage_short_hours INTEGER NOT NULL,
    nurse_hours_short INTEGER NOT NULL,
    patient_hours INTEGER NOT NULL,
    patient_hours_affected INTEGER NOT NULL,
    PRIMARY KEY (staffing_unit_id, day)
);
CREATE INDEX staffing_days_by_day ON staffing_days (partnership_id, day);

-- Every hour below the ratio (or without its triage nurse), as its worst
-- reading found it.
CREATE TABLE staffing_short_hours (
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    staffing_unit_id INTEGER NOT NULL REFERENCES staffing_units(id),
    hour TEXT NOT NULL,
    import_id INTEGER NOT NULL REFERENCES staffing_imports(id),
    patients INTEGER NOT NULL,
    required INTEGER NOT NULL,
    counted INTEGER NOT NULL,
    short INTEGER NOT NULL,
    triage_short INTEGER NOT NULL,
    patients_affected INTEGER NOT NULL,
    PRIMARY KEY (staffing_unit_id, hour)
);
CREATE INDEX staffing_short_hours_by_hour ON staffing_short_hours (partnership_id, hour);

-- A unit's staffing plan, version by version: what it was built from
-- (lmp_core::staffing::plan::PlanInput as JSON), who wrote it and why, and
-- each side's co-lead's approval. A version both approved is in force until
-- a later one is.
CREATE TABLE staffing_plans (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    staffing_unit_id INTEGER NOT NULL REFERENCES staffing_units(id),
    version INTEGER NOT NULL,
    input_json TEXT NOT NULL,
    note TEXT NOT NULL,
    written_by TEXT NOT NULL,
    written_at TEXT NOT NULL,
    labor_approved_by TEXT,
    labor_approved_at TEXT,
    management_approved_by TEXT,
    management_approved_at TEXT,
    UNIQUE (staffing_unit_id, version)
);
