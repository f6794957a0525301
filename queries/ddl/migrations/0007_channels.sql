-- The campaign's other channels (issue 17): status-bar impressions from each operator and the
-- WhatsApp Channel's update counts and daily insights. Counts are as the latest file sent
-- them: a later file replaces the rows of the same key (see dashboard/ingest/channels.py).

-- one row per (operator, wave, WIB day, province): the operator's status-bar counts.
-- Key for replacement: (operator, wave_id, impression_date); province_code NULL = unknown.
CREATE TABLE IF NOT EXISTS status_bar_impressions (
    operator VARCHAR NOT NULL,
    wave_id VARCHAR NOT NULL,
    impression_date DATE NOT NULL,
    province_code SMALLINT,
    impressions BIGINT NOT NULL,
    unique_devices BIGINT NOT NULL,
    clicks BIGINT,                  -- NULL: the text had no link
    ingest_id INTEGER NOT NULL
);

-- one row per WhatsApp Channel update (post), its counts as of the latest export loaded
CREATE TABLE IF NOT EXISTS wa_updates (
    update_id VARCHAR NOT NULL,
    wave_id VARCHAR,                -- NULL: a post that names no wave
    posted_at TIMESTAMPTZ NOT NULL,
    views BIGINT NOT NULL,
    reactions BIGINT,
    forwards BIGINT,
    ingest_id INTEGER NOT NULL
);

-- one row per day of the channel's insights (national: WhatsApp gives no provinces)
CREATE TABLE IF NOT EXISTS wa_daily (
    insight_date DATE NOT NULL,
    followers BIGINT NOT NULL,
    gained BIGINT,
    lost BIGINT,
    accounts_reached_30d BIGINT,
    ingest_id INTEGER NOT NULL
);
