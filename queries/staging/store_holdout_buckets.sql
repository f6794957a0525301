-- Keeps the hold-out bucket of every number of the records given, once per frozen individual
-- experiment and number (issue 18): the bucket the validation computed from the raw number
-- before it was pseudonymised, for the records of the experiment's waves. A number kept
-- before keeps its row: the same number under the same salt has the same bucket.
-- Reads temp view `bucketed` (wave_id, recipient_key, holdout_bucket: the records that may be
-- stored), which the caller defines: the native load over its valid records
-- (ingest/receipts.py), the cluster over a batch of the lake's rows (cluster/spark_ingest.py).
-- Params: none. Inserts into holdout_buckets.
INSERT INTO holdout_buckets
SELECT w.experiment_id, b.recipient_key, min(b.holdout_bucket)
FROM bucketed AS b
JOIN experiment_waves AS w ON w.wave_id = b.wave_id
WHERE b.holdout_bucket IS NOT NULL
GROUP BY w.experiment_id, b.recipient_key
ON CONFLICT DO NOTHING
