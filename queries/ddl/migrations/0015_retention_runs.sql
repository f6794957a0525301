-- Each `retention` run (store/backup.py apply_retention): the WIB send day before which it
-- deleted the receipts. Rollup rows of earlier days then have no receipts behind them, so a
-- load recounts only later days (store/backup.py deleted_before) and sets aside a record
-- sent before that day (it cannot be matched to its message's deleted receipt).
-- Grain: one row per run. Safe to repeat.
CREATE TABLE IF NOT EXISTS retention_runs (
    ran_at TIMESTAMPTZ NOT NULL,
    deleted_before DATE NOT NULL,   -- receipts sent before this WIB day were deleted
    receipts BIGINT NOT NULL,       -- receipts deleted
    rejects BIGINT NOT NULL         -- raw lines of rejected records deleted
);
