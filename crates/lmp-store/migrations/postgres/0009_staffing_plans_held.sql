-- Staffing plans held against the readings: each version governs from the
-- day its co-leads set, every hour below the plan in force is kept role by
-- role, and each unit-day keeps its census hour by hour so a plan can be
-- derived from history.

-- The first day the version governs (YYYY-MM-DD); a later version
-- supersedes it from its own first day. Versions written before this was
-- kept govern from the day they were written.
ALTER TABLE staffing_plans ADD COLUMN effective_from TEXT;
UPDATE staffing_plans SET effective_from = substr(written_at, 1, 10);

ALTER TABLE staffing_days ADD COLUMN below_plan_hours BIGINT NOT NULL DEFAULT 0;
ALTER TABLE staffing_days ADD COLUMN plan_nurse_hours_short BIGINT NOT NULL DEFAULT 0;
ALTER TABLE staffing_days ADD COLUMN plan_staff_hours_short BIGINT NOT NULL DEFAULT 0;
-- The day's 24 hours: each the most patients any reading found, as
-- lmp_core::staffing::history::census_text writes it ('' where not kept).
ALTER TABLE staffing_days ADD COLUMN census TEXT NOT NULL DEFAULT '';

-- Every role of every hour below the plan in force, as the hour's fewest
-- on duty found it.
CREATE TABLE staffing_plan_gaps (
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id),
    staffing_unit_id BIGINT NOT NULL REFERENCES staffing_units(id),
    hour TEXT NOT NULL,
    role TEXT NOT NULL,
    import_id BIGINT NOT NULL REFERENCES staffing_imports(id),
    plan_id BIGINT NOT NULL REFERENCES staffing_plans(id),
    patients BIGINT NOT NULL,
    planned BIGINT NOT NULL,
    on_duty BIGINT NOT NULL,
    short BIGINT NOT NULL,
    patients_affected BIGINT NOT NULL,
    PRIMARY KEY (staffing_unit_id, hour, role)
);
CREATE INDEX staffing_plan_gaps_by_hour ON staffing_plan_gaps (partnership_id, hour);
