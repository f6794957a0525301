-- The warnings of one receipts file: what is odd about a record that loads (issue 14: keep and
-- flag, reject only what makes a number impossible). A record may have several.
-- Reads temp tables validated, province_spellings and regency_spellings. Params: $catalogue
-- (the wave ids of the catalogue).
-- Grain: one row per (valid record, warning kind); row is the record's rowid in validated.
SELECT rowid AS row, 'unknown_wave' AS code, 'wave_id' AS field, wave_id AS value
FROM validated WHERE reject_reason IS NULL AND NOT list_contains($catalogue, wave_id)
UNION ALL
-- a spelling without a code: stg_province_spellings.sql lists every spelling of the file
SELECT v.rowid, 'unknown_province', 'province', v.province_raw
FROM validated AS v
SEMI JOIN province_spellings AS p
       ON p.province_raw = v.province_raw AND p.province_code IS NULL
WHERE v.reject_reason IS NULL
UNION ALL
-- unknown_regency (loaded without one) or regency_province_mismatch: the regency lies in
-- another province than the receipt's, both kept as given (which one is wrong is not known)
SELECT v.rowid,
       CASE WHEN s.regency_code IS NULL THEN 'unknown_regency'
            ELSE 'regency_province_mismatch' END,
       'regency', v.regency_raw
FROM validated AS v
JOIN regency_spellings AS s ON s.regency_raw = v.regency_raw
LEFT JOIN province_spellings AS p ON p.province_raw = v.province_raw
WHERE v.reject_reason IS NULL
  AND (s.regency_code IS NULL OR p.province_code <> s.regency_province)
UNION ALL
-- the value: the operator the number's prefix belongs to (NULL: none of the four)
SELECT rowid, 'operator_mismatch', 'msisdn', prefix_operator::VARCHAR
FROM validated WHERE reject_reason IS NULL AND prefix_operator IS DISTINCT FROM operator
UNION ALL
-- hex_error_code (read as hexadecimal) or unknown_error_code (kept as written)
SELECT rowid, error_code_warning, 'error_code', error_code
FROM validated WHERE reject_reason IS NULL AND error_code_warning IS NOT NULL
