-- The twin of SQLite's 0010, which gives trust_hours the key it has here:
-- (partnership_id, period_id, person_id). Nothing changes on PostgreSQL.
SELECT 1;
