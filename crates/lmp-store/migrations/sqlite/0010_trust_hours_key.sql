-- trust_hours keyed as on PostgreSQL: by partnership first, so every
-- tenant-owned key starts with the partnership, as the rows shard by it.
CREATE TABLE trust_hours_keyed (
    partnership_id INTEGER NOT NULL,
    period_id INTEGER NOT NULL,
    person_id INTEGER NOT NULL,
    local_id INTEGER NOT NULL,
    facility_id INTEGER NOT NULL,
    counted_hundredths INTEGER NOT NULL,
    other_hundredths INTEGER NOT NULL,
    worker_cents INTEGER NOT NULL,
    employer_cents INTEGER,
    PRIMARY KEY (partnership_id, period_id, person_id)
) WITHOUT ROWID;
INSERT INTO trust_hours_keyed SELECT partnership_id, period_id, person_id, local_id, facility_id,
    counted_hundredths, other_hundredths, worker_cents, employer_cents FROM trust_hours;
DROP TABLE trust_hours;
ALTER TABLE trust_hours_keyed RENAME TO trust_hours;
