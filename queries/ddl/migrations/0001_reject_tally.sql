-- Rejects beyond the first 10,000 of a file are counted, not stored (issue 13): one row per
-- (file, reject reason code) with every rejected row of the file.
CREATE TABLE IF NOT EXISTS reject_tally (
    ingest_id INTEGER NOT NULL,
    reason VARCHAR NOT NULL,        -- the code before the colon, e.g. bad_msisdn
    rows BIGINT NOT NULL
);
