-- Compliance of cluster experiments in large-campaign mode (issue 19): the receipts of each
-- wave per (operator, province, regency, delivered) as the cluster computed them
-- (queries/rollups/unit_receipt_counts.sql), copied by `cluster attach`. Empty in a native
-- database: there the macro unit_counts(waves) (store/rollups.py) runs the same definition over
-- the stored receipts, so nothing has to be kept true on ingest, replace or prune.

-- grain: one row per (wave, operator, province, regency, delivered or not)
CREATE TABLE IF NOT EXISTS unit_receipt_counts (
    wave_id VARCHAR NOT NULL,
    operator VARCHAR NOT NULL,
    province_code SMALLINT,
    regency_code SMALLINT,
    delivered BOOLEAN NOT NULL,
    receipts BIGINT NOT NULL
);
