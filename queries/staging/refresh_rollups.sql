-- Drops the rollup rows of the (wave, operator) partitions a file touched; store/rollups.py
-- refresh() then recounts them from receipts with the shared definitions (queries/rollups/).
-- Reads temp table touched (wave_id, operator). Params: none.
-- Rollups: receipt_counts (send day x wave x operator x province x status x error code) and
-- latency_histogram (same keys x quarter-octave latency bucket, delivered messages only).
DELETE FROM receipt_counts
WHERE (wave_id, operator) IN (SELECT wave_id, operator FROM touched);

DELETE FROM latency_histogram
WHERE (wave_id, operator) IN (SELECT wave_id, operator FROM touched);
