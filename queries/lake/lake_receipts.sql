-- The receipts as rows for the Parquet lake (written hive-partitioned by wave_id and operator).
-- recipient_key is shifted into a signed 64-bit integer (a bijection: distinct keys stay
-- distinct), because Spark and Trino have no unsigned 64-bit type.
-- Written through lake_export.sql, which masks a message id that looks like a phone number.
-- Params: none. Grain: one row per stored receipt (operator, message_id).
SELECT
    wave_id,
    operator,
    message_id,
    (recipient_key::HUGEINT - 9223372036854775808)::BIGINT AS recipient_key_signed,
    province_code,
    submitted_at,
    done_at,
    send_date,
    status,
    error_code,
    prefix_operator,
    ingest_id,
    regency_code  -- the regency the file named (issue 18; NULL: none or not known)
FROM receipts
