-- Typed view of one delimited receipts file (canonical CSV or an operator export).
-- Reads temp table raw_file: one row per accepted record, in file order, text columns named
-- after the canonical columns (missing ones added as NULL by the reader).
-- Params: $operator (the profile's operator id, NULL = take the file's column),
--         $timestamp_format (DuckDB strptime format, NULL = ISO 8601 with optional offset),
--         $timezone (zone of naive timestamps).
-- Grain: one row per record of the file.
SELECT
    -- rowids of a table created inside a transaction start high; keep file order from 0
    rowid - (SELECT min(rowid) FROM raw_file) AS record_index,
    coalesce(nullif(lower(trim(operator)), ''), $operator) AS operator_raw,
    nullif(trim(message_id), '') AS message_id,
    nullif(trim(wave_id), '') AS wave_id,
    msisdn AS msisdn_raw,
    nullif(trim(province), '') AS province_raw,
    submitted_at AS submitted_raw,
    done_at AS done_raw,
    upper(trim(status)) AS status_raw,
    nullif(trim(error_code), '') AS error_code_raw,
    CASE WHEN $timestamp_format IS NULL THEN try_cast(trim(submitted_at) AS TIMESTAMPTZ)
         ELSE timezone($timezone, try_strptime(trim(submitted_at), $timestamp_format)) END
        AS submitted_ts,
    CASE WHEN $timestamp_format IS NULL THEN try_cast(trim(done_at) AS TIMESTAMPTZ)
         ELSE timezone($timezone, try_strptime(trim(done_at), $timestamp_format)) END AS done_ts,
    NULL::VARCHAR AS parse_problem,
    concat_ws(' | ', operator, message_id, wave_id, msisdn, province, submitted_at, done_at,
              status, error_code) AS raw_line
FROM raw_file
