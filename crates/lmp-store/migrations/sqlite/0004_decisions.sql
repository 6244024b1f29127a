-- Joint decisions worked through interest-based problem solving. Every
-- contribution and stance carries the server's time, who and which side;
-- nothing is edited: the record is what participation is measured from.

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    -- Where the decision now sits (escalation moves it up) and where it began.
    body_id INTEGER NOT NULL REFERENCES bodies(id),
    origin_body_id INTEGER NOT NULL REFERENCES bodies(id),
    title TEXT NOT NULL,
    -- consensus (the body decides) or recommend (it advises the level above).
    mode TEXT NOT NULL,
    stage TEXT NOT NULL,
    deadline TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    stage_changed_at TEXT NOT NULL,
    options_closed_at TEXT,
    adopted_at TEXT
);
CREATE INDEX decisions_by_body ON decisions (partnership_id, body_id, created_at);

CREATE TABLE contributions (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    decision_id INTEGER NOT NULL REFERENCES decisions(id),
    body_id INTEGER NOT NULL REFERENCES bodies(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    side TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    -- An evaluation scores one option against one criterion (1-5).
    option_id INTEGER REFERENCES contributions(id),
    criterion_id INTEGER REFERENCES contributions(id),
    score INTEGER,
    at TEXT NOT NULL
);
CREATE INDEX contributions_by_decision ON contributions (decision_id, at);

-- Every stance ever recorded; a person's latest is the one that counts.
CREATE TABLE stances (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    decision_id INTEGER NOT NULL REFERENCES decisions(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    side TEXT NOT NULL,
    role TEXT NOT NULL,
    stance TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);
CREATE INDEX stances_by_decision ON stances (decision_id, person_id, at);

-- Where a decision has been: each move up (escalation), with why and when;
-- the time at each level is the gap between moves. A neutral's ruling at
-- the top is a contribution of kind 'ruling'.
CREATE TABLE decision_moves (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    decision_id INTEGER NOT NULL REFERENCES decisions(id),
    from_body_id INTEGER NOT NULL REFERENCES bodies(id),
    to_body_id INTEGER NOT NULL REFERENCES bodies(id),
    reason TEXT NOT NULL,
    moved_by TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX decision_moves_by_decision ON decision_moves (decision_id, at);
