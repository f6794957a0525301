-- One row per survey file loaded (issue 14): weighted = false when the file had no weight
-- column (its respondents have weight 1 and the pages say the survey is unweighted).
-- No row: weighted.
CREATE TABLE IF NOT EXISTS survey_loads (
    ingest_id INTEGER PRIMARY KEY,
    weighted BOOLEAN NOT NULL
);
