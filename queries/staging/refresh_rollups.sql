-- Rebuilds the rollup rows of the (wave, operator) partitions a file touched, from receipts.
-- Reads temp table touched (wave_id, operator). Params: none.
-- Rollups: receipt_counts (send day x wave x operator x province x status x error code) and
-- latency_histogram (same keys x quarter-octave latency bucket, delivered messages only).
DELETE FROM receipt_counts
WHERE (wave_id, operator) IN (SELECT wave_id, operator FROM touched);

DELETE FROM latency_histogram
WHERE (wave_id, operator) IN (SELECT wave_id, operator FROM touched);

INSERT INTO receipt_counts
SELECT
    send_date,
    wave_id,
    operator,
    province_code,
    status,
    error_code,
    count(*) AS receipts
FROM receipts
WHERE (wave_id, operator) IN (SELECT wave_id, operator FROM touched)
GROUP BY ALL;

INSERT INTO latency_histogram
SELECT
    send_date,
    wave_id,
    operator,
    province_code,
    latency_bucket(submitted_at, done_at) AS bucket,
    count(*) AS receipts
FROM receipts
WHERE (wave_id, operator) IN (SELECT wave_id, operator FROM touched)
  AND status = 'DELIVRD' AND done_at IS NOT NULL
GROUP BY ALL;
