-- Drops the rollup rows of the (wave, operator) partitions a file touched; store/rollups.py
-- refresh() then recounts them from receipts with the shared definitions (queries/rollups/).
-- Rows of send days before retention_deleted_before() (ddl/macros.sql) stay: retention
-- deleted those days' receipts and none is loaded since (sent_before_retention), so the rows
-- are all that is left of them and a recount from receipts gives none of them.
-- Reads temp table touched (wave_id, operator). Params: none.
-- Rollups: receipt_counts (send day x wave x operator x province x status x error code) and
-- latency_histogram (same keys x quarter-octave latency bucket, delivered messages only).
DELETE FROM receipt_counts
WHERE (wave_id, operator) IN (SELECT wave_id, operator FROM touched)
  AND NOT coalesce(send_date < retention_deleted_before(), false);

DELETE FROM latency_histogram
WHERE (wave_id, operator) IN (SELECT wave_id, operator FROM touched)
  AND NOT coalesce(send_date < retention_deleted_before(), false);
