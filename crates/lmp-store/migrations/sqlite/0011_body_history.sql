-- A partnership's structure kept by its own files and forms: bodies close
-- (never deleted), and every seat keeps its dates once it ends.

-- The day a body closed; NULL while it is open. Its decisions, meetings and
-- seats stay, read-only.
ALTER TABLE bodies ADD COLUMN closed_on TEXT;

-- The day a seat was taken; NULL when held since before the records began.
ALTER TABLE seats ADD COLUMN started_on TEXT;

-- Every seat that ended. A trigger writes it, so no path that takes a seat
-- away (a form, an import, an HR sync, closing a body) can forget one; a
-- file that gives the day it ended corrects ended_on in the same transaction.
CREATE TABLE past_seats (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    body_id INTEGER NOT NULL REFERENCES bodies(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    role TEXT NOT NULL,
    side TEXT NOT NULL,
    started_on TEXT,
    ended_on TEXT NOT NULL
);
CREATE INDEX past_seats_by_body ON past_seats (partnership_id, body_id, ended_on);
CREATE INDEX past_seats_by_person ON past_seats (partnership_id, person_id);
CREATE TRIGGER seat_ended AFTER DELETE ON seats BEGIN
    INSERT INTO past_seats (partnership_id, body_id, person_id, role, side, started_on, ended_on)
    VALUES (OLD.partnership_id, OLD.body_id, OLD.person_id, OLD.role, OLD.side, OLD.started_on, date('now'));
END;
