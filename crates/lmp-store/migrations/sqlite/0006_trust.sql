-- The Partnership Trust: payroll hours in, contributions out, and a
-- double-entry ledger that accounts for every cent.

-- The agreement's effective-dated funding rules (lmp_core::trust::rules), as JSON;
-- without a row the defaults apply.
CREATE TABLE trust_rules (
    partnership_id INTEGER PRIMARY KEY REFERENCES partnerships(id),
    rules_json TEXT NOT NULL,
    changed_at TEXT NOT NULL
);

-- Each payroll file taken in, named by the SHA-256 of its bytes, so the same
-- file taken twice is recognised and changes nothing.
CREATE TABLE trust_imports (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    lines INTEGER NOT NULL,
    worker_periods INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    actor TEXT NOT NULL
);
CREATE INDEX trust_imports_by_hash ON trust_imports (partnership_id, sha256);

-- Pay periods never overlap; each is held by the one import that brought it
-- (or, after --replace, the one that corrected it).
CREATE TABLE trust_periods (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    import_id INTEGER NOT NULL REFERENCES trust_imports(id),
    UNIQUE (partnership_id, starts_on)
);

-- One row per worker and pay period: hours counted as worked, other paid
-- hours, and the contributions computed from them. Millions of rows a year:
-- the importer checks every reference against the partnership's people,
-- locals and facilities, so no foreign keys are checked row by row here.
-- employer_cents is NULL when the employer pays a fixed yearly amount
-- (shared over the period's lines, not per worker).
CREATE TABLE trust_hours (
    partnership_id INTEGER NOT NULL,
    period_id INTEGER NOT NULL,
    person_id INTEGER NOT NULL,
    local_id INTEGER NOT NULL,
    facility_id INTEGER NOT NULL,
    counted_hundredths INTEGER NOT NULL,
    other_hundredths INTEGER NOT NULL,
    worker_cents INTEGER NOT NULL,
    employer_cents INTEGER,
    -- A period belongs to one partnership, so (period, person) is unique;
    -- a shorter key is a cheaper comparison on each of millions of inserts.
    PRIMARY KEY (period_id, person_id)
) WITHOUT ROWID;

-- Per pay period, local and facility: the sums of trust_hours, with the
-- employer's share however it was set. The ledger is posted from these. A
-- year has some 150,000; like trust_hours they are written only by the
-- importer, which has checked every reference, so no foreign key is
-- checked row by row (on PostgreSQL that was a quarter of the import).
CREATE TABLE trust_lines (
    partnership_id INTEGER NOT NULL,
    period_id INTEGER NOT NULL,
    local_id INTEGER NOT NULL,
    facility_id INTEGER NOT NULL,
    workers INTEGER NOT NULL,
    counted_hundredths INTEGER NOT NULL,
    other_hundredths INTEGER NOT NULL,
    worker_cents INTEGER NOT NULL,
    employer_cents INTEGER NOT NULL,
    PRIMARY KEY (partnership_id, period_id, local_id, facility_id)
);

-- The ledger: entries whose postings sum to zero (debits positive).
CREATE TABLE trust_entries (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    kind TEXT NOT NULL,
    -- The day the money moved or was owed: a pay period's last day, the day
    -- a remittance came in, the day of spending. posted_at is when it was written.
    booked_on TEXT NOT NULL,
    posted_at TEXT NOT NULL,
    period_id INTEGER REFERENCES trust_periods(id),
    local_id INTEGER REFERENCES units(id),
    import_id INTEGER REFERENCES trust_imports(id),
    memo TEXT NOT NULL DEFAULT '',
    actor TEXT NOT NULL
);
CREATE INDEX trust_entries_by_period ON trust_entries (partnership_id, period_id, local_id);
CREATE INDEX trust_entries_by_day ON trust_entries (partnership_id, booked_on);

CREATE TABLE trust_postings (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    entry_id INTEGER NOT NULL REFERENCES trust_entries(id),
    account TEXT NOT NULL,
    category TEXT,
    amount_cents INTEGER NOT NULL
);
CREATE INDEX trust_postings_by_entry ON trust_postings (entry_id);
CREATE INDEX trust_postings_by_account ON trust_postings (partnership_id, account, category);

-- The trustees: equal numbers from labor and management.
CREATE TABLE trust_trustees (
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    side TEXT NOT NULL,
    PRIMARY KEY (partnership_id, person_id)
);

-- A year's budget by spending category, approved only when a labor and a
-- management trustee have both approved it.
CREATE TABLE trust_budgets (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    year INTEGER NOT NULL,
    proposed_at TEXT NOT NULL,
    proposed_by TEXT NOT NULL,
    labor_approved_by INTEGER REFERENCES people(id),
    labor_approved_at TEXT,
    management_approved_by INTEGER REFERENCES people(id),
    management_approved_at TEXT,
    withdrawn_at TEXT
);
CREATE INDEX trust_budgets_by_year ON trust_budgets (partnership_id, year);

CREATE TABLE trust_budget_lines (
    budget_id INTEGER NOT NULL REFERENCES trust_budgets(id),
    category TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    PRIMARY KEY (budget_id, category)
);
