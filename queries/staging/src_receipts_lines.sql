-- The physical lines of one SMPP JSON Lines file straight from DuckDB's reader, in file order
-- (the validated copy keeps it):
-- the CTE `source` of stg_receipts_smpp, so the file is read inside the validating statement.
-- A blank line is NULL; a line with invalid UTF-8 or over the size limit is skipped
-- (receipts.py counts the lines independently and names the skipped ones).
-- Params: $path, $compression, $max_line_size. Grain: one row per line.
SELECT line
FROM read_csv($path, columns = {'line': 'VARCHAR'}, header = false, delim = chr(31), quote = '',
              escape = '', compression = $compression, auto_detect = false,
              strict_mode = true, ignore_errors = true, max_line_size = $max_line_size)
