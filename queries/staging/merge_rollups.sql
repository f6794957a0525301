-- Adds one file's receipts to the count rollups when the file only added receipts (it replaced
-- no stored one): the touched partitions' rows are summed with the file's own counts, so the
-- receipts table is not scanned again. (A file that replaced receipts goes through
-- refresh_rollups.sql, which recounts the touched partitions from receipts.)
-- Reads temp tables file_cells (stg_file_cells.sql) and touched (wave_id, operator).
-- Params: none. Rollups: receipt_counts and latency_histogram, grains as in ddl/schema.sql.
CREATE TEMP TABLE merged_counts AS
SELECT send_date, wave_id, operator, province_code, status, error_code,
       sum(receipts)::BIGINT AS receipts
FROM (
    SELECT send_date, wave_id, operator, province_code, status, error_code, receipts
    FROM receipt_counts
    WHERE (wave_id, operator) IN (SELECT wave_id, operator FROM touched)
    UNION ALL
    SELECT send_date, wave_id, operator, province_code, status, error_code, receipts
    FROM file_cells
)
GROUP BY ALL;

CREATE TEMP TABLE merged_latency AS
SELECT send_date, wave_id, operator, province_code, bucket, sum(receipts)::BIGINT AS receipts
FROM (
    SELECT send_date, wave_id, operator, province_code, bucket, receipts
    FROM latency_histogram
    WHERE (wave_id, operator) IN (SELECT wave_id, operator FROM touched)
    UNION ALL
    SELECT send_date, wave_id, operator, province_code, bucket, receipts
    FROM file_cells
    WHERE bucket IS NOT NULL
)
GROUP BY ALL;

DELETE FROM receipt_counts
WHERE (wave_id, operator) IN (SELECT wave_id, operator FROM touched);

DELETE FROM latency_histogram
WHERE (wave_id, operator) IN (SELECT wave_id, operator FROM touched);

INSERT INTO receipt_counts SELECT * FROM merged_counts;

INSERT INTO latency_histogram SELECT * FROM merged_latency;
