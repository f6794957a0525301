-- KPU presidential results per province and year, as loaded.
-- Params: none. Grain: one row per (year, province).
SELECT year, province_code, dpt, ballots_cast, valid_votes, invalid_votes, source
FROM election_results
ORDER BY year, province_code
