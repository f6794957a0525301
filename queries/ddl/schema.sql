-- The schema as of the release of 29 Nov 2026 (schema version 0). Every later change is a
-- numbered file in queries/ddl/migrations/, applied in order by db.migrate on the first
-- write-capable open and recorded in schema_migrations, so a database made by an earlier
-- version opens and is brought up to date. Do not change a table here: add a migration.
-- Canonical tables of the dashboard. Idempotent: run on every connect that may write.
-- Grain is stated per table. Timestamps are TIMESTAMPTZ (stored as UTC instants; shown in WIB).

CREATE SEQUENCE IF NOT EXISTS ingest_id_seq START 1;

-- one row per province (38); reference data, reloaded at init
CREATE TABLE IF NOT EXISTS provinces (
    province_code SMALLINT PRIMARY KEY,
    name VARCHAR NOT NULL,
    short VARCHAR NOT NULL,
    capital VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    tile_col SMALLINT,
    tile_row SMALLINT,
    split_from_2019 SMALLINT,
    dpt_2024 BIGINT
);

-- one row per normalised spelling of a province name or code
CREATE TABLE IF NOT EXISTS province_aliases (
    alias_key VARCHAR PRIMARY KEY,
    province_code SMALLINT NOT NULL
);

-- one row per operator group
CREATE TABLE IF NOT EXISTS operators (
    operator VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL
);

-- one row per number prefix in 62 form ('62812')
CREATE TABLE IF NOT EXISTS operator_prefixes (
    prefix VARCHAR PRIMARY KEY,
    operator VARCHAR NOT NULL,
    brand VARCHAR NOT NULL
);

-- one row per SMPP/GSM error code
CREATE TABLE IF NOT EXISTS error_codes (
    error_code VARCHAR PRIMARY KEY,
    meaning_id VARCHAR,
    meaning_en VARCHAR
);

-- one row per loaded input file (or attempt)
CREATE TABLE IF NOT EXISTS ingest_log (
    ingest_id INTEGER PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR,
    kind VARCHAR NOT NULL,          -- receipts | waves | election | survey | hoax
    format VARCHAR,                 -- canonical | profile:<name> | smpp_jsonl | csv
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    rows_read BIGINT DEFAULT 0,
    loaded BIGINT DEFAULT 0,
    duplicate BIGINT DEFAULT 0,
    superseded BIGINT DEFAULT 0,
    rejected BIGINT DEFAULT 0,
    replaced BIGINT DEFAULT 0,      -- rows already stored that this file's newer states replaced
    unknown_province BIGINT DEFAULT 0,
    operator_mismatch BIGINT DEFAULT 0,
    outcome VARCHAR NOT NULL,       -- loaded | already_loaded | failed | reloaded (replaced
                                    -- by a later ingest --reload of the same file)
    -- warnings: migration 0002
    message VARCHAR
);

-- one row per rejected input row, the first 10,000 of a file (ingest/records.py
-- STORED_REJECTS; the rest are counted in reject_tally, migration 0001): raw line with phone
-- numbers masked
CREATE TABLE IF NOT EXISTS rejects (
    ingest_id INTEGER NOT NULL,
    file_name VARCHAR NOT NULL,
    line BIGINT,
    reason VARCHAR NOT NULL,
    raw_line VARCHAR
);

-- one row per message (operator, message_id): its latest known state. Uniqueness is kept by
-- the ingest merge (an index would slow bulk loads and block in-place updates).
CREATE TABLE IF NOT EXISTS receipts (
    operator VARCHAR NOT NULL,
    message_id VARCHAR NOT NULL,
    wave_id VARCHAR,
    recipient_key UBIGINT NOT NULL,
    province_code SMALLINT,
    submitted_at TIMESTAMPTZ NOT NULL,
    done_at TIMESTAMPTZ,
    status VARCHAR NOT NULL,
    error_code VARCHAR,
    prefix_operator VARCHAR,
    ingest_id INTEGER NOT NULL,
    send_date DATE NOT NULL         -- WIB day of submitted_at, kept for filters and rollups
);

-- rollup: one row per (send day in WIB, wave, operator, province, status, error code)
CREATE TABLE IF NOT EXISTS receipt_counts (
    send_date DATE NOT NULL,
    wave_id VARCHAR,
    operator VARCHAR NOT NULL,
    province_code SMALLINT,
    status VARCHAR NOT NULL,
    error_code VARCHAR,
    receipts BIGINT NOT NULL
);

-- rollup: one row per (send day, wave, operator, province, latency bucket); bucket b covers
-- latencies in [2^(b/4), 2^((b+1)/4)) seconds, so percentiles are exact to about 19%
CREATE TABLE IF NOT EXISTS latency_histogram (
    send_date DATE NOT NULL,
    wave_id VARCHAR,
    operator VARCHAR NOT NULL,
    province_code SMALLINT,
    bucket SMALLINT NOT NULL,
    receipts BIGINT NOT NULL
);

-- one row per campaign message (SMS wave, status-bar text or WhatsApp Channel post)
CREATE TABLE IF NOT EXISTS waves (
    wave_id VARCHAR PRIMARY KEY,
    channel VARCHAR NOT NULL,
    sent_date DATE NOT NULL,
    theme VARCHAR,
    message_text VARCHAR,
    ingest_id INTEGER
);

-- one row per (year, province): KPU presidential results
CREATE TABLE IF NOT EXISTS election_results (
    year SMALLINT NOT NULL,
    province_code SMALLINT NOT NULL,
    dpt BIGINT,
    ballots_cast BIGINT,
    valid_votes BIGINT,
    invalid_votes BIGINT,
    source VARCHAR,
    ingest_id INTEGER
);

-- one row per validation warning on election results (kept, never dropped)
CREATE TABLE IF NOT EXISTS election_warnings (
    ingest_id INTEGER,
    line BIGINT,
    province_code SMALLINT,
    year SMALLINT,
    warning VARCHAR
);

-- one row per survey respondent
CREATE TABLE IF NOT EXISTS survey_responses (
    respondent_id VARCHAR NOT NULL,
    interview_date DATE,
    province_code SMALLINT,
    age_group VARCHAR,
    gender VARCHAR,
    urban_rural VARCHAR,
    operator VARCHAR,
    received_sms VARCHAR,
    recalled_theme VARCHAR,
    voted VARCHAR,
    knows_valid_ballot VARCHAR,
    saw_hoax VARCHAR,
    believed_hoax VARCHAR,
    weight DOUBLE,
    ingest_id INTEGER
);

-- one row per hoax issue in the register
CREATE TABLE IF NOT EXISTS hoax_reports (
    hoax_id VARCHAR NOT NULL,
    identified_date DATE NOT NULL,
    title VARCHAR,
    category VARCHAR,
    election_related BOOLEAN,
    theme VARCHAR,
    platforms VARCHAR,
    content_items INTEGER,
    taken_down INTEGER,
    province_code SMALLINT,
    source_url VARCHAR,
    taken_down_date DATE,           -- optional column of the register; NULL when not given
    ingest_id INTEGER
);

-- one row per (wave, WIB send day) with delivered receipts: its bit in reach_recipients.slots
CREATE TABLE IF NOT EXISTS reach_slots (
    slot SMALLINT PRIMARY KEY,      -- 0..126 (bits of a HUGEINT)
    wave_id VARCHAR NOT NULL,
    send_date DATE NOT NULL
);

-- rollup for exact unique reach: one row per (recipient, operator, province) with delivered
-- messages; slots has bit s set when the recipient got a message in reach_slots.slot = s.
-- Distinct recipients for any filter are counted here instead of over every receipt.
CREATE TABLE IF NOT EXISTS reach_recipients (
    recipient_key UBIGINT NOT NULL,
    operator VARCHAR NOT NULL,
    province_code SMALLINT,
    slots HUGEINT NOT NULL
);

-- rollup for exact unique reach per whole wave: one row per (wave, operator, province) with
-- delivered messages; recipients = the distinct recipients with at least one delivered message
-- of that wave (any send day), operator and province, i.e. the reach_recipients rows whose
-- slots meet the wave's slots (macro wave_bits). Kept per file by merge_reach_cells.sql, in the
-- file's transaction, so pages read it in time flat in the campaign's size.
CREATE TABLE IF NOT EXISTS reach_cells (
    wave_id VARCHAR NOT NULL,
    operator VARCHAR NOT NULL,
    province_code SMALLINT,         -- NULL = unknown province
    recipients BIGINT NOT NULL      -- > 0: cells without recipients are not kept
);

-- one row: the last receipts file reach_cells includes (ingest_log.ingest_id; NULL = none), so
-- a rollup that missed a file (loaded by a version that did not keep it) is rebuilt, never used
CREATE TABLE IF NOT EXISTS reach_cells_state (
    ingest_id INTEGER
);

-- one row: a check value of the pseudonymisation key the stored recipient_keys were made with
-- (ingest/privacy.py), so receipts pseudonymised with another key are refused, never mixed
CREATE TABLE IF NOT EXISTS pseudonym_key (
    key_check VARCHAR NOT NULL
);
