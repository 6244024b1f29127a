-- The partnership's own time zone (an IANA name): pages show times in it.
-- Stored times stay UTC.
ALTER TABLE partnerships ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
