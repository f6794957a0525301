-- Sample data is marked on every output (issue 15): a file is sample data when it was declared
-- so (`ingest --sample`, `init --sample`) or its SHA-256 is one of the sample's
-- (sample_data/MANIFEST.json). Files loaded before this migration: false here; the queries
-- also compare their hash with the manifest's (queries/marts/provenance_loads.sql).
ALTER TABLE ingest_log ADD COLUMN IF NOT EXISTS sample BOOLEAN DEFAULT false;
