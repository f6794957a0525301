-- Which regencies (kabupaten/kota, the BPS list in the regencies table) have election
-- results loaded for the baseline and the outcome year (election_results_regency): the
-- cluster design by regency needs both, and the page names every gap instead of filling it.
-- Params: $baseline_year, $outcome_year. Grain: one row per regency of the reference list.
SELECT
    g.regency_code,
    g.province_code,
    p.name AS province_name,
    g.name,
    g.kind,
    EXISTS (SELECT 1 FROM election_results_regency AS e
            WHERE e.regency_code = g.regency_code AND e.year = $baseline_year
              AND e.ballots_cast IS NOT NULL AND e.dpt IS NOT NULL) AS has_baseline,
    EXISTS (SELECT 1 FROM election_results_regency AS e
            WHERE e.regency_code = g.regency_code AND e.year = $outcome_year
              AND e.ballots_cast IS NOT NULL AND e.dpt IS NOT NULL) AS has_outcome
FROM regencies AS g
LEFT JOIN provinces AS p USING (province_code)
ORDER BY g.regency_code
