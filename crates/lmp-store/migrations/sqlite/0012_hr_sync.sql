-- The nightly people file from HR, marked complete: who left, who moved.
-- Nothing is deleted: a leaver keeps their record, dated.

-- The day a person was last missing from a complete people file; NULL
-- while they work here. A later file that names them again clears it.
ALTER TABLE people ADD COLUMN left_on TEXT;

-- A person's move from one unit to another, as a complete file showed it.
CREATE TABLE transfers (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    from_unit_id INTEGER REFERENCES units(id),
    to_unit_id INTEGER REFERENCES units(id),
    on_day TEXT NOT NULL
);
CREATE INDEX transfers_by_person ON transfers (partnership_id, person_id);

-- Standing roles (steward, …) that ended, with the day.
CREATE TABLE past_standing_roles (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    role TEXT NOT NULL,
    unit_id INTEGER REFERENCES units(id),
    ended_on TEXT NOT NULL
);
CREATE INDEX past_standing_roles_by_person ON past_standing_roles (partnership_id, person_id);
