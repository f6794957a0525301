-- The stored receipts a file's records replace: a record whose outcome is loaded while its
-- key is stored (stg_receipts_outcome.sql: has_stored) takes the stored record's place.
-- The native load (ingest/receipts.py) and the cluster's replay of it
-- (cluster/spark_ingest.py) both run this file.
-- Reads temp table outcomes. Params: none. Deletes from receipts; returns the count.
DELETE FROM receipts WHERE (operator, message_id) IN (
    SELECT operator, message_id FROM outcomes WHERE outcome = 'loaded' AND has_stored
)
