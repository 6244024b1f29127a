-- Employment and Income Security: displacements, the transition pool, the
-- vacancies, placement runs and the proposals both sides accept.

-- The agreement's effective-dated EIS rules (lmp_core::eis::rules), as JSON;
-- without a row the defaults apply.
CREATE TABLE eis_rules (
    partnership_id INTEGER PRIMARY KEY REFERENCES partnerships(id),
    rules_json TEXT NOT NULL,
    changed_at TEXT NOT NULL
);

-- One EIS representative or more from each side.
CREATE TABLE eis_representatives (
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    side TEXT NOT NULL,
    PRIMARY KEY (partnership_id, person_id)
);

-- A displacement: the unit, why, when announced and when it takes effect.
-- Workers enter the pool only once both sides' representatives have
-- confirmed that the alternatives were looked at.
CREATE TABLE eis_events (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    reason TEXT NOT NULL,
    description TEXT NOT NULL,
    announced_on TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    labor_confirmed_by INTEGER REFERENCES people(id),
    labor_confirmed_at TEXT,
    management_confirmed_by INTEGER REFERENCES people(id),
    management_confirmed_at TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX eis_events_by_partnership ON eis_events (partnership_id, announced_on);

-- What was found when each alternative was looked at.
CREATE TABLE eis_alternatives (
    event_id INTEGER NOT NULL REFERENCES eis_events(id),
    alternative TEXT NOT NULL,
    finding TEXT NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES people(id),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (event_id, alternative)
);

-- A displaced worker in the transition pool, with the job they held.
CREATE TABLE eis_pool (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    event_id INTEGER NOT NULL REFERENCES eis_events(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    job_class TEXT NOT NULL,
    licences TEXT NOT NULL,
    fte INTEGER NOT NULL,
    shift TEXT NOT NULL,
    pay_band TEXT NOT NULL,
    region TEXT NOT NULL,
    facility TEXT NOT NULL,
    cents_per_hour INTEGER,
    seniority_date TEXT NOT NULL,
    entered_on TEXT NOT NULL,
    protected_until TEXT NOT NULL,
    protection_ended_on TEXT,
    status TEXT NOT NULL,
    placed_on TEXT,
    placed_vacancy_id INTEGER,
    placed_kind TEXT,
    retraining_until TEXT
);
-- A worker is in the pool once at a time.
CREATE UNIQUE INDEX eis_pool_once ON eis_pool (partnership_id, person_id) WHERE status = 'in_pool';
CREATE INDEX eis_pool_by_status ON eis_pool (partnership_id, status);

-- An open post: by hand, CSV or API.
CREATE TABLE eis_vacancies (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    code TEXT NOT NULL,
    job_class TEXT NOT NULL,
    required_licences TEXT NOT NULL,
    fte INTEGER NOT NULL,
    shift TEXT NOT NULL,
    pay_band TEXT NOT NULL,
    region TEXT NOT NULL,
    retrain_from TEXT NOT NULL,
    pay_min_cents INTEGER,
    pay_max_cents INTEGER,
    facility TEXT NOT NULL,
    posted_on TEXT NOT NULL,
    status TEXT NOT NULL,
    filled_by INTEGER REFERENCES eis_pool(id),
    UNIQUE (partnership_id, code)
);

-- Each time placement was run, with its figures.
CREATE TABLE eis_runs (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    run_at TEXT NOT NULL,
    run_by TEXT NOT NULL,
    workers INTEGER NOT NULL,
    vacancies INTEGER NOT NULL,
    placed INTEGER NOT NULL,
    comparable INTEGER NOT NULL,
    retraining INTEGER NOT NULL,
    millis INTEGER NOT NULL
);

-- What a run proposed for each worker (no vacancy: not placed), with the
-- explanation, and each side's acceptance.
CREATE TABLE eis_proposals (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    run_id INTEGER NOT NULL REFERENCES eis_runs(id),
    pool_id INTEGER NOT NULL REFERENCES eis_pool(id),
    vacancy_id INTEGER REFERENCES eis_vacancies(id),
    kind TEXT,
    priority INTEGER NOT NULL,
    explanation TEXT NOT NULL,
    status TEXT NOT NULL,
    labor_accepted_by INTEGER REFERENCES people(id),
    labor_accepted_at TEXT,
    management_accepted_by INTEGER REFERENCES people(id),
    management_accepted_at TEXT,
    declined_at TEXT,
    decline_reason TEXT
);
CREATE INDEX eis_proposals_by_run ON eis_proposals (run_id, priority);
CREATE INDEX eis_proposals_by_pool ON eis_proposals (pool_id);
