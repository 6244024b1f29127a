-- The last day each person took part in unit-based team work: attended a
-- team meeting or huddle, or started or finished a test of change. Kept as
-- those are recorded, so engagement by unit is one index scan of people
-- rather than a sweep of every attendance record.
ALTER TABLE people ADD COLUMN last_took_part_on TEXT;
CREATE INDEX people_engagement ON people (partnership_id, unit_id, last_took_part_on);
