-- Training: sessions of the partnership's classes, who came, and where a
-- completion was recorded.

-- Where a completion comes from: a learning system's export, a sign-in
-- sheet, or a session here ("session 12").
ALTER TABLE class_completions ADD COLUMN source TEXT NOT NULL DEFAULT '';
CREATE INDEX class_completions_by_class ON class_completions (partnership_id, class);

-- A class held on a day, somewhere.
CREATE TABLE class_sessions (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    class TEXT NOT NULL,
    held_on TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX class_sessions_by_day ON class_sessions (partnership_id, held_on);

-- Who is on a session's list: enrolled, then attended or absent.
CREATE TABLE class_attendance (
    session_id INTEGER NOT NULL REFERENCES class_sessions(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    status TEXT NOT NULL,
    marked_at TEXT NOT NULL,
    PRIMARY KEY (session_id, person_id)
);
