-- trust_hours keyed as on SQLite: a period belongs to one partnership, so
-- (period, person) is unique, and the shorter key is a cheaper comparison
-- on each of the millions of rows a pay year inserts.
ALTER TABLE trust_hours DROP CONSTRAINT trust_hours_pkey, ADD PRIMARY KEY (period_id, person_id);
