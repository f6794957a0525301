-- The loaded files behind each kind of data: when data of that kind last arrived and whether
-- any of it is sample data (declared so at load, or a file whose SHA-256 the sample's
-- manifest lists: that also marks databases built before the flag existed).
-- An election file is told by what it stored (issue 18): its province rows make it an
-- 'election' load (the province views), its regency rows an 'election_regency' load (the
-- regency experiment), a file with both is both, and one whose rows are all gone (replaced by
-- a later file) or were all rejected is behind no view. A database attached from cluster
-- rollups has a receipts row from cluster_rollups instead of receipts files.
-- Params: $sample_hashes (VARCHAR[]: sample_data/MANIFEST.json's hashes).
-- Grain: one row per kind of data (receipts, waves, election, election_regency, survey, hoax,
-- and the other channels' kinds).
WITH stored_election AS (
    SELECT DISTINCT ingest_id, 'election' AS kind FROM election_results
    UNION
    SELECT DISTINCT ingest_id, 'election_regency' AS kind FROM election_results_regency
),
loads AS (
    SELECT l.ingest_id, coalesce(s.kind, l.kind) AS kind, l.finished_at, l.sample, l.sha256,
           l.file_name
    FROM ingest_log AS l
    LEFT JOIN stored_election AS s ON l.kind = 'election' AND s.ingest_id = l.ingest_id
    WHERE l.outcome = 'loaded' AND (l.kind <> 'election' OR s.ingest_id IS NOT NULL)
    UNION ALL
    -- large-campaign mode (migration 0010): the attached cluster rollups stand for the
    -- receipts files, as of the time the cluster computed them, sample as the lake said
    SELECT NULL, 'receipts', created_at, sample, NULL, 'cluster rollups: ' || folder
    FROM cluster_rollups
)
SELECT
    kind,
    max(finished_at) AS last_loaded_at,
    count(*)::BIGINT AS files,
    bool_or(coalesce(sample, false) OR list_contains($sample_hashes, sha256)) AS sample,
    list(file_name ORDER BY ingest_id) AS file_names
FROM loads
GROUP BY kind
ORDER BY kind
