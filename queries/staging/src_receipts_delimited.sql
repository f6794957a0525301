-- The records of one delimited receipts file straight from DuckDB's CSV reader, in file order
-- (the validated copy keeps it; WITH ORDINALITY would number them but reads on one thread):
-- the CTE `source` of stg_receipts_delimited, so the file is read inside the validating
-- statement and never copied. Every value is text. A record the reader cannot take (wrong
-- column count, bad quoting, invalid UTF-8, too long) is skipped: the reader's reject table
-- costs about 9 KB per bad line and loses rows when it runs in parallel (DuckDB 2.0.1), so
-- receipts.py counts the records independently (ingest/records.py) and names the skipped ones.
-- Params: $path, $compression, $delimiter, $quote, $max_line_size, $columns (struct: the
--         file's header cells in order, each named after its canonical column or
--         extra_<position>, all VARCHAR).
-- The empty first SELECT supplies every canonical column, so a column the file lacks is NULL.
-- Grain: one row per accepted record.
SELECT * FROM (
    SELECT NULL::VARCHAR AS operator,
           NULL::VARCHAR AS message_id, NULL::VARCHAR AS wave_id, NULL::VARCHAR AS msisdn,
           NULL::VARCHAR AS province, NULL::VARCHAR AS submitted_at, NULL::VARCHAR AS done_at,
           NULL::VARCHAR AS status, NULL::VARCHAR AS error_code,
           NULL::VARCHAR AS regency  -- optional (issue 18): NULL for a file without it
    LIMIT 0
)
UNION ALL BY NAME
SELECT *
FROM read_csv($path, columns = $columns, header = false, skip = 1, delim = $delimiter,
              quote = $quote, escape = $quote, compression = $compression,
              auto_detect = false, strict_mode = true, ignore_errors = true,
              max_line_size = $max_line_size)
