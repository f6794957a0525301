-- The warnings of one receipts file: what is odd about a record that loads (issue 14: keep and
-- flag, reject only what makes a number impossible). A record may have several.
-- Reads temp table validated. Params: $catalogue (the wave ids of the catalogue).
-- Grain: one row per (valid record, warning kind); row is the record's rowid in validated.
SELECT rowid AS row, 'unknown_wave' AS code, 'wave_id' AS field, wave_id AS value
FROM validated WHERE reject_reason IS NULL AND NOT list_contains($catalogue, wave_id)
UNION ALL
SELECT rowid, 'unknown_province', 'province', province_as_written
FROM validated WHERE reject_reason IS NULL AND province_unrecognised
UNION ALL
-- the value: the operator the number's prefix belongs to (NULL: none of the four)
SELECT rowid, 'operator_mismatch', 'msisdn', prefix_operator::VARCHAR
FROM validated WHERE reject_reason IS NULL AND prefix_operator IS DISTINCT FROM operator
UNION ALL
-- hex_error_code (read as hexadecimal) or unknown_error_code (kept as written)
SELECT rowid, error_code_warning, 'error_code', error_code
FROM validated WHERE reject_reason IS NULL AND error_code_warning IS NOT NULL
