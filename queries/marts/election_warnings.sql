-- Validation warnings on the election results (kept, never dropped), with province names.
-- Params: none. Grain: one row per warning.
SELECT w.year, w.province_code, p.name AS province_name, w.warning, w.line
FROM election_warnings AS w
LEFT JOIN provinces AS p USING (province_code)
ORDER BY w.year, w.province_code
