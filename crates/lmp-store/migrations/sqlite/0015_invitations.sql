-- An invitation by email for someone without single sign-on: a link whose
-- token only its hash is kept of, good for a week and once.
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    email TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    accepted_at TEXT,
    user_id INTEGER REFERENCES users(id)
);
CREATE INDEX invitations_by_person ON invitations (partnership_id, person_id);
