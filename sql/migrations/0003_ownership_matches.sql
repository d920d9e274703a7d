-- Ownership match results behind each decision: one row per owner and field, so analysts see
-- which owner matched which applicant field, with what score and why.
CREATE TABLE ownership_matches (
    decision_id  VARCHAR NOT NULL,
    account_id   VARCHAR NOT NULL,
    ownership_id VARCHAR NOT NULL,   -- the fcaowns_ snapshot compared
    owner_id     VARCHAR,            -- fcaown_...
    owner_index  INTEGER NOT NULL,   -- position in the snapshot's owner list
    field        VARCHAR NOT NULL,   -- name | email | phone | address
    score        INTEGER NOT NULL,   -- 0-100
    match        BOOLEAN NOT NULL,
    reasons      VARCHAR[] NOT NULL,
    flags        JSON,               -- is_nickname_match, is_first_or_last_name_match, ...
    computed_at  TIMESTAMP NOT NULL
);
