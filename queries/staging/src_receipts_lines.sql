-- The physical lines of one SMPP JSON Lines file straight from DuckDB's reader, in file order
-- (the validated copy keeps it):
-- the CTE `source` of stg_receipts_smpp, so the file is read inside the validating statement.
-- A blank line is NULL; invalid UTF-8 is set aside in temp table raw_reject_errors.
-- Params: $path, $compression. Grain: one row per line.
SELECT line
FROM read_csv($path, columns = {'line': 'VARCHAR'}, header = false, delim = chr(31), quote = '',
              escape = '', compression = $compression, auto_detect = false,
              strict_mode = true, store_rejects = true, rejects_table = 'raw_reject_errors',
              rejects_scan = 'raw_reject_scans')
