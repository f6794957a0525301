-- Large-campaign mode (issue 19): a database whose rollups were computed by a cluster from the
-- Parquet lake (`python -m dashboard cluster rollups`) and attached by `python -m dashboard
-- cluster attach` (dashboard/cluster/attach.py) holds no raw receipts. This table says so and
-- where the numbers come from; pages then estimate unique reach from the sketch, say so, and
-- say which views need the raw receipts. Empty: the receipts were loaded here (native).

-- one row at most: the attached rollups (the manifest's words), shown in the provenance of
-- receipts
CREATE TABLE IF NOT EXISTS cluster_rollups (
    engine VARCHAR NOT NULL,        -- manifest "engine", e.g. 'spark'
    lake VARCHAR NOT NULL,          -- the lake the cluster read
    created_at TIMESTAMPTZ NOT NULL,  -- when the cluster wrote the rollups
    sample BOOLEAN NOT NULL,        -- the lake holds sample (synthetic) data
    folder VARCHAR NOT NULL,        -- the rollups' folder attached
    manifest VARCHAR NOT NULL,      -- manifest.json as read
    attached_at TIMESTAMPTZ NOT NULL
);
