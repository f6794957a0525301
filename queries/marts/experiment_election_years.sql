-- The election years loaded, per province (election_results) and per regency
-- (election_results_regency), with how many units have ballots and DPT for the year: the
-- years the Rancang uji page offers as the baseline pair.
-- Params: none. Grain: one row per (level, year) with results.
SELECT 'province' AS level, year, count(DISTINCT province_code) AS units
FROM election_results
WHERE ballots_cast IS NOT NULL AND dpt IS NOT NULL
GROUP BY year
UNION ALL
SELECT 'regency' AS level, year, count(DISTINCT regency_code) AS units
FROM election_results_regency
WHERE ballots_cast IS NOT NULL AND dpt IS NOT NULL
GROUP BY year
ORDER BY level, year
