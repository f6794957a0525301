-- Compliance of individual (number-level hold-out) experiments in large-campaign mode
-- (issue 19): the cluster's rollups of the receipts of frozen individual experiments' waves,
-- placed in an arm by their number's bucket (queries/rollups/number_arm_counts.sql,
-- number_reached.sql over the lake's holdout_* columns), copied by `cluster attach`. Empty in a
-- native database: there the macros number_counts(experiment) and number_reached(experiment)
-- (store/rollups.py) run the same files over the stored receipts.

-- grain: one row per (experiment, operator, arm) with receipts; distinct numbers exact
CREATE TABLE IF NOT EXISTS number_arm_counts (
    experiment_id VARCHAR NOT NULL,
    operator VARCHAR NOT NULL,
    arm VARCHAR NOT NULL,               -- 'holdout' | 'blast' | 'unplaced'
    sent BIGINT NOT NULL,
    delivered BIGINT NOT NULL,
    recipients_sent BIGINT NOT NULL,
    recipients_delivered BIGINT NOT NULL
);

-- grain: one row per (experiment, number delivered to in its waves), the pseudonym as
-- receipts.recipient_key
CREATE TABLE IF NOT EXISTS number_reached (
    experiment_id VARCHAR NOT NULL,
    recipient_key UBIGINT NOT NULL
);
