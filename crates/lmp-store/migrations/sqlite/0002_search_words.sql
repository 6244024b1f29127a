-- Each person's words (name words and employee number, lowercase), so a
-- search is an index range per word instead of a scan of every name.
CREATE TABLE person_words (
    partnership_id INTEGER NOT NULL,
    word TEXT NOT NULL,
    person_id INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (partnership_id, word, person_id)
);
CREATE INDEX person_words_by_person ON person_words (person_id);

-- The dashboard counts people by kind from the index alone.
CREATE INDEX people_by_kind ON people (partnership_id, kind);
