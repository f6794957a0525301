-- Stores the file's receipts (temp view file_loaded, stg_file_loaded.sql), each with the
-- regency of its spelling (temp table regency_spellings, stg_regency_spellings.sql, read once
-- per spelling; empty for a file without regencies). The native load and the cluster's
-- replay of it both run this file.
-- Params: $ingest_id (the load's ingest_log id; the file's place in the run on the cluster).
-- Inserts into receipts; returns the count.
INSERT INTO receipts (operator, message_id, wave_id, recipient_key, province_code,
                      submitted_at, done_at, status, error_code, prefix_operator,
                      ingest_id, send_date, regency_code)
SELECT f.operator, f.message_id, f.wave_id, f.recipient_key, f.province_code,
       f.submitted_at, f.done_at, f.status, f.error_code, f.prefix_operator,
       $ingest_id, f.send_date, s.regency_code
FROM file_loaded AS f
LEFT JOIN regency_spellings AS s ON s.regency_raw = f.regency_raw
