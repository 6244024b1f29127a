-- Each placement proposal's explanation in Spanish beside the English one:
-- an EIS representative reads it to the worker in the worker's language.
ALTER TABLE eis_proposals ADD COLUMN explanation_es TEXT NOT NULL DEFAULT '';
