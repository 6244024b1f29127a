-- Unit-based teams: charters, training, meetings, improvement projects,
-- measurements, tests of change, savings and their signatures, and the
-- Path to Performance ratings computed from all of it.
-- Dates are ISO text (YYYY-MM-DD), so they sort and compare as dates.

-- A team's own record beside its body (bodies.level = 'team').
CREATE TABLE teams (
    body_id INTEGER PRIMARY KEY REFERENCES bodies(id),
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    purpose TEXT NOT NULL DEFAULT '',
    goals TEXT NOT NULL DEFAULT '',
    membership TEXT NOT NULL DEFAULT '',
    quorum TEXT NOT NULL DEFAULT '',
    scope TEXT NOT NULL DEFAULT '',
    decision_making TEXT NOT NULL DEFAULT '',
    ground_rules TEXT NOT NULL DEFAULT '',
    health_safety_champion_id INTEGER REFERENCES people(id),
    -- The computed Path to Performance level (0 = not yet at level 1) and
    -- when it was computed: a cache of lmp_core::path, refreshed on every
    -- change to the team and by a full re-rating.
    level INTEGER NOT NULL DEFAULT 0,
    rated_on TEXT,
    charter_updated_at TEXT
);
CREATE INDEX teams_by_level ON teams (partnership_id, level);

-- Classes a person completed (co-lead workshop, effective stakeholding, …).
CREATE TABLE class_completions (
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    class TEXT NOT NULL,
    completed_on TEXT NOT NULL,
    PRIMARY KEY (person_id, class)
);

-- Team meetings and huddles; who ran them and who came, by side.
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    body_id INTEGER NOT NULL REFERENCES bodies(id),
    kind TEXT NOT NULL,
    held_on TEXT NOT NULL,
    run_by_id INTEGER REFERENCES people(id),
    notes TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX meetings_by_body ON meetings (body_id, held_on);
CREATE INDEX meetings_by_date ON meetings (partnership_id, held_on);

CREATE TABLE meeting_attendance (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    side TEXT NOT NULL,
    PRIMARY KEY (meeting_id, person_id)
);
CREATE INDEX attendance_by_person ON meeting_attendance (partnership_id, person_id);

-- Improvement projects, the Rapid Improvement Model way.
CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    body_id INTEGER NOT NULL REFERENCES bodies(id),
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    aim TEXT NOT NULL,
    how_we_know TEXT NOT NULL,
    change_idea TEXT NOT NULL,
    started_on TEXT NOT NULL,
    target_date TEXT NOT NULL,
    -- Spread: the project this one adopted, whose team gets the credit.
    adopted_from_id INTEGER REFERENCES projects(id),
    -- The last day anything was recorded on it (measurement, test, status).
    last_documented_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (partnership_id, code)
);
CREATE INDEX projects_by_body ON projects (body_id);
CREATE INDEX projects_by_origin ON projects (adopted_from_id);

CREATE TABLE project_compass (
    project_id INTEGER NOT NULL REFERENCES projects(id),
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    point TEXT NOT NULL,
    PRIMARY KEY (project_id, point)
);

-- A project's main measure (with its SMART goal) and balancing measures.
CREATE TABLE measures (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    project_id INTEGER NOT NULL REFERENCES projects(id),
    role TEXT NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    direction TEXT NOT NULL,
    baseline REAL,
    target REAL,
    UNIQUE (project_id, name)
);

CREATE TABLE measurements (
    measure_id INTEGER NOT NULL REFERENCES measures(id),
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    taken_on TEXT NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (measure_id, taken_on)
);

-- Plan-Do-Study-Act cycles, and who took part.
CREATE TABLE tests_of_change (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    project_id INTEGER NOT NULL REFERENCES projects(id),
    change TEXT NOT NULL,
    prediction TEXT NOT NULL,
    started_on TEXT NOT NULL,
    ended_on TEXT,
    result TEXT NOT NULL DEFAULT '',
    decision TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX tests_by_project ON tests_of_change (project_id, started_on);
CREATE INDEX tests_by_date ON tests_of_change (partnership_id, started_on);

CREATE TABLE test_participants (
    test_id INTEGER NOT NULL REFERENCES tests_of_change(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    PRIMARY KEY (test_id, person_id)
);
CREATE INDEX participants_by_person ON test_participants (partnership_id, person_id);

-- Savings claims: append-only. A correction is a new claim naming the one
-- it replaces (corrects_id); only claims nobody corrected count.
CREATE TABLE savings_claims (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    ref TEXT NOT NULL,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    body_id INTEGER NOT NULL REFERENCES bodies(id),
    category TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    method TEXT NOT NULL,
    corrects_id INTEGER UNIQUE REFERENCES savings_claims(id),
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    -- Set once, when the second signature of a pair lands.
    verified_at TEXT,
    UNIQUE (partnership_id, ref)
);
CREATE INDEX savings_by_body ON savings_claims (body_id, period_start);
CREATE INDEX savings_by_project ON savings_claims (project_id);

CREATE TABLE savings_signatures (
    claim_id INTEGER NOT NULL REFERENCES savings_claims(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    role TEXT NOT NULL,
    side TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    PRIMARY KEY (claim_id, person_id)
);

-- Path to Performance by month: the computed level, the team's own
-- assessment, and a sponsor's confirmation or dispute.
CREATE TABLE level_ratings (
    body_id INTEGER NOT NULL REFERENCES bodies(id),
    month TEXT NOT NULL,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    computed_level INTEGER NOT NULL,
    self_assessed_level INTEGER,
    self_assessed_by TEXT,
    sponsor_decision TEXT,
    sponsor_id INTEGER REFERENCES people(id),
    sponsor_note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (body_id, month)
);

-- The last day each person took part in unit-based team work: attended a
-- team meeting or huddle, or started or finished a test of change. Kept as
-- those are recorded, so engagement by unit is one index scan of people
-- rather than a sweep of every attendance record.
ALTER TABLE people ADD COLUMN last_took_part_on TEXT;
CREATE INDEX people_engagement ON people (partnership_id, unit_id, last_took_part_on);

-- Co-leads and sponsors of every body without reading the members' seats.
CREATE INDEX seats_leaders ON seats (partnership_id, role, body_id, side);

-- A partnership's own rules for its teams (lmp_core::team_rules), as JSON;
-- without a row the defaults apply.
CREATE TABLE team_rules (
    partnership_id INTEGER PRIMARY KEY REFERENCES partnerships(id),
    rules_json TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
