-- The twin of PostgreSQL's 0010, which gives trust_hours the key it has
-- here: (period_id, person_id). Nothing changes on SQLite.
SELECT 1;
