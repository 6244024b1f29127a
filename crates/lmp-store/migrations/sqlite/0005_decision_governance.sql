-- What joint decisions need around them: each body's charter rules,
-- deadlines, meetings with agendas, notices, two-key changes, and the
-- history of co-lead seats the partnership's health is read from.

-- A body's charter: whether its consensus decides or recommends to the level
-- above, and how many days a decision may stay before it rises (NULL: the
-- partnership's limit for the body's level).
ALTER TABLE bodies ADD COLUMN decision_mode TEXT NOT NULL DEFAULT 'consensus';
ALTER TABLE bodies ADD COLUMN time_limit_days INTEGER;

-- The partnership's time limit at each level (lmp_core::escalation::EscalationRules).
CREATE TABLE decision_rules (
    partnership_id INTEGER PRIMARY KEY REFERENCES partnerships(id),
    rules_json TEXT NOT NULL,
    changed_at TEXT NOT NULL
);

-- Once a decision at the top passes its deadline, the people concerned are
-- told once; lower down it rises instead.
ALTER TABLE decisions ADD COLUMN overdue_noticed_at TEXT;

-- Every spell a co-lead seat was held. Triggers keep it, so no path that
-- writes seats (a form, an import, the demo) can forget one.
CREATE TABLE co_lead_spells (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    body_id INTEGER NOT NULL REFERENCES bodies(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    side TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT
);
CREATE INDEX co_lead_spells_by_body ON co_lead_spells (partnership_id, body_id, side, started_at);
CREATE TRIGGER co_lead_seated AFTER INSERT ON seats WHEN NEW.role = 'co_lead' BEGIN
    INSERT INTO co_lead_spells (partnership_id, body_id, person_id, side, started_at)
    VALUES (NEW.partnership_id, NEW.body_id, NEW.person_id, NEW.side, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER co_lead_unseated AFTER DELETE ON seats WHEN OLD.role = 'co_lead' BEGIN
    UPDATE co_lead_spells SET ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
    WHERE body_id = OLD.body_id AND person_id = OLD.person_id AND side = OLD.side AND ended_at IS NULL;
END;
INSERT INTO co_lead_spells (partnership_id, body_id, person_id, side, started_at)
SELECT s.partnership_id, s.body_id, s.person_id, s.side, p.created_at
FROM seats s JOIN partnerships p ON p.id = s.partnership_id WHERE s.role = 'co_lead';

-- Meetings of any body: when and where, an agenda that links decisions;
-- the minutes are the meeting's notes.
ALTER TABLE meetings ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN starts_at TEXT;
ALTER TABLE meetings ADD COLUMN duration_minutes INTEGER;
ALTER TABLE meetings ADD COLUMN location TEXT NOT NULL DEFAULT '';
CREATE TABLE agenda_items (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    decision_id INTEGER REFERENCES decisions(id)
);
CREATE INDEX agenda_items_by_meeting ON agenda_items (meeting_id, position);
-- Attendance by side per meeting, read from the index alone (the health page).
CREATE INDEX attendance_by_meeting_side ON meeting_attendance (meeting_id, side);

-- What a person is told: in the application, and by email where their
-- sign-in has an address. Mail waits in the outbox, so a failed send never
-- loses the write that caused it; the sender retries.
ALTER TABLE users ADD COLUMN email TEXT;
CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    decision_id INTEGER REFERENCES decisions(id),
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    -- The page it is about, e.g. /decisions/7.
    link TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX notices_by_person ON notices (partnership_id, person_id, created_at);
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    notice_id INTEGER NOT NULL REFERENCES notices(id),
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at TEXT,
    last_error TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (sent_at, next_attempt_at);

-- Changes that need two keys: a body's decision rules, its co-leads, a
-- decision's redaction. Applied only once one labor and one management
-- approver have both said yes.
CREATE TABLE joint_changes (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    kind TEXT NOT NULL,
    body_id INTEGER REFERENCES bodies(id),
    decision_id INTEGER REFERENCES decisions(id),
    change_json TEXT NOT NULL,
    summary TEXT NOT NULL,
    reason TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    labor_approver TEXT,
    labor_approved_at TEXT,
    management_approver TEXT,
    management_approved_at TEXT,
    withdrawn_by TEXT,
    withdrawn_at TEXT,
    applied_at TEXT
);
CREATE INDEX joint_changes_open ON joint_changes (partnership_id, applied_at, withdrawn_at);
ALTER TABLE decisions ADD COLUMN redacted_by INTEGER REFERENCES joint_changes(id);
