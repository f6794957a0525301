-- The province spellings of one receipts file, each once, with the province it names (NULL:
-- none we know): the spelling as written in reference/province_spellings, else folded
-- (macro fold_province, the rule of reference.province_key) and looked up in
-- province_aliases. Read once per distinct spelling, after the file is read, as
-- stg_regency_spellings.sql does for regencies: a per-row lookup by ENUM cast cost 45-100 us
-- for each row whose spelling is not a member, and a join would reorder the rows. The
-- statements that need a record's code join this small table (stg_file_loaded.sql, the
-- warnings, the outcome of contested records): setting the code in the validated copy by an
-- UPDATE cost 0.8 s at 10 M records and 19.8 s at 100 M, where the copy spills to disk.
-- Reads temp table validated. Params: $spellings, $spelling_codes (the known spellings as
-- written and the province of each, in the same order).
-- Grain: one row per distinct province as written.
CREATE TEMP TABLE province_spellings AS
WITH listed AS (
    SELECT unnest($spellings::VARCHAR[]) AS spelling,
           unnest($spelling_codes::SMALLINT[]) AS province_code
)
SELECT s.province_raw, coalesce(l.province_code, a.province_code) AS province_code
FROM (SELECT DISTINCT province_raw FROM validated WHERE province_raw IS NOT NULL) AS s
LEFT JOIN listed AS l ON l.spelling = s.province_raw
LEFT JOIN province_aliases AS a
       ON a.alias_key = fold_province(s.province_raw)
