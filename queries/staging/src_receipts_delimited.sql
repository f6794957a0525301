-- The records of one delimited receipts file straight from DuckDB's CSV reader, in file order
-- (the validated copy keeps it; WITH ORDINALITY would number them but reads on one thread):
-- the CTE `source` of stg_receipts_delimited, so the file is read inside the validating
-- statement and never copied. Every value is text; structural errors (wrong column count,
-- bad quoting, invalid UTF-8) are set aside in temp table raw_reject_errors, one row per line.
-- Params: $path, $compression, $delimiter, $quote, $columns (struct: the file's header cells
--         in order, each named after its canonical column or extra_<position>, all VARCHAR).
-- The empty first SELECT supplies every canonical column, so a column the file lacks is NULL.
-- Grain: one row per accepted record.
SELECT * FROM (
    SELECT NULL::VARCHAR AS operator,
           NULL::VARCHAR AS message_id, NULL::VARCHAR AS wave_id, NULL::VARCHAR AS msisdn,
           NULL::VARCHAR AS province, NULL::VARCHAR AS submitted_at, NULL::VARCHAR AS done_at,
           NULL::VARCHAR AS status, NULL::VARCHAR AS error_code
    LIMIT 0
)
UNION ALL BY NAME
SELECT *
FROM read_csv($path, columns = $columns, header = false, skip = 1, delim = $delimiter,
              quote = $quote, escape = $quote, compression = $compression,
              auto_detect = false, strict_mode = true, store_rejects = true,
              rejects_table = 'raw_reject_errors', rejects_scan = 'raw_reject_scans')
