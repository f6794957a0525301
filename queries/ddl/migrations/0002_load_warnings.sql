-- Warnings (issue 14): a record that loads but holds something odd (an unknown wave, province
-- or error code spelling, a category we did not foresee) is kept and flagged. Per file: the
-- number of warnings in ingest_log, the first 10,000 with line, kind, field and value
-- (phone numbers masked) in load_warnings, and all of them counted by kind in warning_tally.
ALTER TABLE ingest_log ADD COLUMN IF NOT EXISTS warnings BIGINT DEFAULT 0;

CREATE TABLE IF NOT EXISTS load_warnings (
    ingest_id INTEGER NOT NULL,
    line BIGINT,
    kind VARCHAR NOT NULL,          -- e.g. unknown_wave, unknown_province
    field VARCHAR NOT NULL,         -- the column the value was read from
    value VARCHAR                   -- as written, phone numbers masked
);

CREATE TABLE IF NOT EXISTS warning_tally (
    ingest_id INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    rows BIGINT NOT NULL
);
