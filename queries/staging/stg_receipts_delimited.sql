-- Typed view of one delimited receipts file (canonical CSV or an operator export).
-- Reads CTE `source` (src_receipts_delimited): the file's accepted records straight from the
-- CSV reader (no copy), in file order, text columns named after the canonical columns.
-- Params: $operator (the profile's operator id, NULL = take the file's column),
--         $timestamp_format (DuckDB strptime format, NULL = ISO 8601 with optional offset),
--         $utc_offset_s (UTC offset of the zone of naive timestamps, in seconds; Indonesia's
--         zones have no daylight saving).
-- Used as the CTE `parsed` of stg_receipts_validated (one statement, so nothing is
-- materialised twice). Naive times go through epoch arithmetic because
--         ICU time-zone casts cost three times as much on large files.
-- Grain: one row per record of the file.
SELECT
    false AS is_blank,  -- the CSV reader skips blank lines itself
    coalesce(nullif(lower(trim(operator)), ''), $operator) AS operator_raw,
    nullif(trim(message_id), '') AS message_id,
    nullif(trim(wave_id), '') AS wave_id,
    msisdn AS msisdn_raw,
    nullif(trim(province), '') AS province_raw,
    nullif(trim(regency), '') AS regency_raw,
    submitted_at AS submitted_raw,
    done_at AS done_raw,
    upper(trim(status)) AS status_raw,
    nullif(trim(error_code), '') AS error_code_raw,
    parse_timestamp(submitted_at, $timestamp_format, $utc_offset_s) AS submitted_ts,
    parse_timestamp(done_at, $timestamp_format, $utc_offset_s) AS done_ts,
    NULL::VARCHAR AS parse_problem,
    -- the record as read, for the rejects table: passed through (no copy), and joined into
    -- text by stg_receipts_validated for rejected rows only
    NULL::VARCHAR AS raw_line,
    operator AS in_operator, message_id AS in_message_id, wave_id AS in_wave_id,
    msisdn AS in_msisdn, province AS in_province, submitted_at AS in_submitted_at,
    done_at AS in_done_at, status AS in_status, error_code AS in_error_code,
    regency AS in_regency
FROM source
