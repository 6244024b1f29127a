-- Each notice in Spanish beside the English: the page shows the reader's.
ALTER TABLE notices ADD COLUMN text_es TEXT NOT NULL DEFAULT '';
