-- Typed view of one SMPP delivery-receipt log (JSON Lines, one deliver_sm per line).
-- Reads CTE `source` (src_receipts_lines): one row per physical line, in file order, NULL for
-- a blank line. Blank lines stay rows (is_blank), so the validated copy's row number is the
-- physical line; receipts.py leaves them out of every count.
-- Receipt keys are case-insensitive; dates have 10 (YYMMDDhhmm) or 12 digits, in WIB.
-- Params: none (receipt dates are WIB, UTC+7 = 25200 s). Grain: one row per line.
-- Used as the CTE `parsed` of stg_receipts_validated.
WITH lines AS (
    SELECT line AS raw_line, json_valid(line) AS is_json,
           line IS NULL OR trim(line) = '' AS is_blank
    FROM source
),
fields AS (
    SELECT
        raw_line,
        is_json,
        is_blank,
        -- one parse of the line for all five fields
        CASE WHEN is_json THEN json_extract_string(raw_line, ['$.operator', '$.msisdn',
            '$.region', '$.wave_id', '$.receipt']) END AS field
    FROM lines
),
receipts AS (
    SELECT
        raw_line, is_json, is_blank,
        field[1] AS operator_field,
        field[2] AS msisdn_field,
        field[3] AS region_field,
        field[4] AS wave_field,
        field[5] AS receipt,
        lower(field[5]) AS receipt_lower  -- keys are case-insensitive
    FROM fields
),
parts AS (
    -- each value is the word after its key, up to the next space: string search, not regular
    -- expressions (five of them were two thirds of this file's cost). lower() maps code point
    -- to code point, so positions in receipt_lower are positions in receipt.
    SELECT
        *,
        -- the id keeps its case: found in the lower-case text, read from the original
        nullif(split_part(substr(receipt, nullif(strpos(' ' || receipt_lower, ' id:'), 0) + 3),
                          ' ', 1), '') AS receipt_id,
        smpp_value(receipt_lower, 'submit date:') AS submit_digits,
        smpp_value(receipt_lower, 'done date:') AS done_digits,
        smpp_value(receipt_lower, 'stat:') AS stat_word,
        smpp_value(receipt_lower, 'err:') AS err_word
    FROM receipts
)
SELECT
    is_blank,
    lower(trim(operator_field)) AS operator_raw,
    receipt_id AS message_id,
    nullif(trim(wave_field), '') AS wave_id,
    msisdn_field AS msisdn_raw,
    nullif(trim(region_field), '') AS province_raw,
    submit_digits AS submitted_raw,
    done_digits AS done_raw,
    upper(stat_word) AS status_raw,
    err_word AS error_code_raw,
    CASE length(submit_digits)
        WHEN 10 THEN parse_timestamp(submit_digits, '%y%m%d%H%M', 25200)
        WHEN 12 THEN parse_timestamp(submit_digits, '%y%m%d%H%M%S', 25200) END AS submitted_ts,
    CASE length(done_digits)
        WHEN 10 THEN parse_timestamp(done_digits, '%y%m%d%H%M', 25200)
        WHEN 12 THEN parse_timestamp(done_digits, '%y%m%d%H%M%S', 25200) END AS done_ts,
    CASE WHEN NOT is_json THEN 'malformed_json: the line is not a JSON object'
         WHEN receipt IS NULL THEN 'missing_receipt: no "receipt" field'
         WHEN receipt_id IS NULL THEN 'missing_message_id: receipt has no id:' END
        AS parse_problem,
    raw_line,  -- shown for rejected lines; the in_* fields are those of delimited files
    NULL::VARCHAR AS in_operator, NULL::VARCHAR AS in_message_id, NULL::VARCHAR AS in_wave_id,
    NULL::VARCHAR AS in_msisdn, NULL::VARCHAR AS in_province,
    NULL::VARCHAR AS in_submitted_at, NULL::VARCHAR AS in_done_at, NULL::VARCHAR AS in_status,
    NULL::VARCHAR AS in_error_code
FROM parts
