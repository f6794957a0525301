-- Rollup unit_receipt_counts (ddl/migrations/0011_unit_receipt_counts.sql) over a
-- receipts-shaped relation: the receipts of each wave per place, the grain a cluster
-- experiment's compliance needs (marts/experiment_compliance.sql, experiment_units_outcome.sql:
-- sent and delivered per province or regency unit are sums of these rows). The one definition
-- both engines run: the Parquet lake in Spark (cluster/spark_rollups.py, through sqlglot),
-- attached by `cluster attach`; natively the macro unit_counts(waves) runs it over the stored
-- receipts when the marts read it (store/rollups.py), so no stored copy can fall behind them.
-- Reads `rollup_receipts` (an outer CTE or view). Written in SQL that sqlglot translates.
-- regency_code: the regency the file named (NULL: none, or not one we know); a receipt without
-- a wave is in no experiment and is left out.
-- Params: none.
-- Grain: one row per (wave, operator, province, regency, delivered or not).
SELECT
    wave_id,
    operator,
    province_code,
    regency_code,
    status = 'DELIVRD' AS delivered,
    count(*) AS receipts
FROM rollup_receipts
WHERE wave_id IS NOT NULL
GROUP BY wave_id, operator, province_code, regency_code, status = 'DELIVRD'
