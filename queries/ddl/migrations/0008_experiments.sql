-- The randomised experiment (issue 18): regencies as reference data, results and receipts per
-- regency where a file gives them, survey respondents' pseudonyms, and the frozen plans with
-- their assignment. A plan is frozen once (its SHA-256 stored) before its first wave.

-- one row per BPS regency (kabupaten/kota) as of the 2024 election: dashboard/reference/
-- regencies.csv, loaded like the provinces
CREATE TABLE IF NOT EXISTS regencies (
    regency_code SMALLINT PRIMARY KEY,  -- BPS code, 4 digits: province code x 100 + number
    province_code SMALLINT NOT NULL,
    name VARCHAR NOT NULL,              -- as BPS writes it, e.g. 'KABUPATEN BANDUNG'
    kind VARCHAR NOT NULL               -- 'kabupaten' | 'kota'
);

-- one row per spelling a file may use for a regency (folded: upper case, punctuation and
-- repeated spaces removed); a bare name two regencies share (Bandung) is not an alias
CREATE TABLE IF NOT EXISTS regency_aliases (
    alias VARCHAR PRIMARY KEY,
    regency_code SMALLINT NOT NULL
);

-- one row per (year, regency): an election-results file's rows that name a regency. Kept apart
-- from election_results (per province) so a file of regencies never doubles a province total.
CREATE TABLE IF NOT EXISTS election_results_regency (
    year SMALLINT NOT NULL,
    regency_code SMALLINT NOT NULL,
    province_code SMALLINT NOT NULL,    -- the regency's province in the year's own units
    dpt BIGINT,
    ballots_cast BIGINT,
    valid_votes BIGINT,
    invalid_votes BIGINT,
    source VARCHAR,
    ingest_id INTEGER
);

-- a receipt's regency when its file gives one (NULL: not given or not recognised, warned)
ALTER TABLE receipts ADD COLUMN IF NOT EXISTS regency_code SMALLINT;

-- a survey respondent's pseudonym when the file gives the respondent's number: the same keyed
-- hash as receipts.recipient_key, so a respondent is matched to the receipts sent to them
ALTER TABLE survey_responses ADD COLUMN IF NOT EXISTS respondent_key UBIGINT;

-- one row per frozen plan: the canonical JSON exactly as hashed, and its SHA-256
CREATE TABLE IF NOT EXISTS experiments (
    experiment_id VARCHAR PRIMARY KEY,
    design VARCHAR NOT NULL,            -- 'cluster' | 'individual'
    unit VARCHAR NOT NULL,              -- 'regency' | 'province' | 'number'
    plan_json VARCHAR NOT NULL,
    plan_sha256 VARCHAR NOT NULL,
    signed_off_by VARCHAR NOT NULL,
    frozen_at TIMESTAMPTZ NOT NULL,
    synthetic BOOLEAN NOT NULL
);

-- one experiment per wave: a wave in two plans is refused by the primary key
CREATE TABLE IF NOT EXISTS experiment_waves (
    wave_id VARCHAR PRIMARY KEY,
    experiment_id VARCHAR NOT NULL
);

-- cluster designs: one row per unit (regency or province code) and its arm
CREATE TABLE IF NOT EXISTS experiment_units (
    experiment_id VARCHAR NOT NULL,
    unit_code SMALLINT NOT NULL,
    stratum VARCHAR NOT NULL,
    arm VARCHAR NOT NULL,               -- 'holdout' | 'blast'
    PRIMARY KEY (experiment_id, unit_code)
);

-- individual designs: one row per operator x province stratum, its threshold out of 10,000
CREATE TABLE IF NOT EXISTS experiment_strata (
    experiment_id VARCHAR NOT NULL,
    operator VARCHAR NOT NULL,
    province_code SMALLINT NOT NULL,
    threshold SMALLINT NOT NULL,        -- withheld when bucket < threshold
    PRIMARY KEY (experiment_id, operator, province_code)
);

-- individual designs: the hold-out bucket (0..9999) of each recipient or respondent number seen
-- at ingest, computed from the raw number before it is pseudonymised (the raw number is not kept)
CREATE TABLE IF NOT EXISTS holdout_buckets (
    experiment_id VARCHAR NOT NULL,
    recipient_key UBIGINT NOT NULL,
    bucket SMALLINT NOT NULL,
    PRIMARY KEY (experiment_id, recipient_key)
);
