-- The loaded files behind each kind of data: when data of that kind last arrived and whether
-- any of it is sample data (declared so at load, or a file whose SHA-256 the sample's
-- manifest lists: that also marks databases built before the flag existed).
-- Params: $sample_hashes (VARCHAR[]: sample_data/MANIFEST.json's hashes).
-- Grain: one row per kind of input file (receipts, waves, election, survey, hoax).
SELECT
    kind,
    max(finished_at) AS last_loaded_at,
    count(*)::BIGINT AS files,
    bool_or(coalesce(sample, false) OR list_contains($sample_hashes, sha256)) AS sample,
    list(file_name ORDER BY ingest_id) AS file_names
FROM ingest_log
WHERE outcome = 'loaded'
GROUP BY kind
ORDER BY kind
