-- The partnership's structure, people, bodies, sign-in and the audit chain.
-- Every tenant-owned row carries partnership_id, and every query filters on it.

CREATE TABLE partnerships (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    employer TEXT NOT NULL,
    coalition TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Both structures in one tree: regions > facilities > departments, and
-- internationals > locals. `kind` is lmp_core::org::UnitKind.
CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    code TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    parent_id INTEGER REFERENCES units(id),
    UNIQUE (partnership_id, code)
);
CREATE INDEX units_by_parent ON units (partnership_id, parent_id);
CREATE INDEX units_by_kind ON units (partnership_id, kind, name);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    employee_no TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    local_id INTEGER REFERENCES units(id),
    unit_id INTEGER REFERENCES units(id),
    job_title TEXT NOT NULL DEFAULT '',
    UNIQUE (partnership_id, employee_no),
    -- A worker belongs to exactly one local; managers and physicians to none.
    CHECK ((kind = 'union_member') = (local_id IS NOT NULL))
);
CREATE INDEX people_by_name ON people (partnership_id, name);
CREATE INDEX people_by_local ON people (partnership_id, local_id);
CREATE INDEX people_by_unit ON people (partnership_id, unit_id);

-- Partnership bodies: national strategy group down to unit-based teams.
CREATE TABLE bodies (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    code TEXT NOT NULL,
    level TEXT NOT NULL,
    name TEXT NOT NULL,
    unit_id INTEGER REFERENCES units(id),
    parent_id INTEGER REFERENCES bodies(id),
    UNIQUE (partnership_id, code)
);
CREATE INDEX bodies_by_level ON bodies (partnership_id, level, name);
CREATE INDEX bodies_by_unit ON bodies (partnership_id, unit_id);

-- Who holds which seat in a body, for which side.
CREATE TABLE seats (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    body_id INTEGER NOT NULL REFERENCES bodies(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    role TEXT NOT NULL,
    side TEXT NOT NULL,
    UNIQUE (body_id, person_id, role, side)
);
CREATE INDEX seats_by_body_role ON seats (body_id, role, side);
CREATE INDEX seats_by_person ON seats (partnership_id, person_id);

-- Stewards and Labor Partners (paired with a named manager).
CREATE TABLE standing_roles (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    role TEXT NOT NULL,
    unit_id INTEGER REFERENCES units(id),
    partner_id INTEGER REFERENCES people(id),
    UNIQUE (person_id, role, unit_id)
);
CREATE INDEX standing_roles_by_unit ON standing_roles (partnership_id, unit_id);
CREATE INDEX standing_roles_by_partner ON standing_roles (partnership_id, partner_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    person_id INTEGER REFERENCES people(id),
    created_at TEXT NOT NULL
);

-- Server-side sessions; the cookie holds a random token, the table its hash.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

-- Append-only, hash-chained per partnership (lmp_core::audit).
CREATE TABLE audit_log (
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    hash TEXT NOT NULL,
    PRIMARY KEY (partnership_id, seq)
);
CREATE INDEX audit_by_entity ON audit_log (partnership_id, entity, entity_id);
