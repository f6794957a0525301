-- The regency spellings of one receipts file (issue 18), each once, with the regency it names:
-- folded by the macro fold_regency and looked up in regency_aliases (NULL: not a regency we
-- know, or a bare name two regencies share). Done once per distinct spelling, after the file is
-- read, because a per-row lookup cost more than reading the file: fold_regency is ~3.5 us a row,
-- and a cast to an ENUM of the aliases ~1 ms for each spelling that is not one (measured,
-- DuckDB 1.x). The warnings and the insert join their rows to this small table.
-- Reads temp table validated. Params: $given (false: the file has no regency column, and
-- nothing is read). Grain: one row per distinct regency as written.
CREATE TEMP TABLE regency_spellings AS
SELECT s.regency_raw, a.regency_code, r.province_code AS regency_province
FROM (SELECT DISTINCT regency_raw FROM validated
      WHERE $given AND regency_raw IS NOT NULL) AS s
LEFT JOIN regency_aliases AS a ON a.alias = fold_regency(s.regency_raw)
LEFT JOIN regencies AS r ON r.regency_code = a.regency_code
