-- Steward's own tables: the metric time series and the auth tables.

-- One row per stored report: its samples encoded by SampleCodec (a row per sample would multiply the insert rate).
-- ts is the report's collectedAt in epoch milliseconds. writer_id/writer_seq record which node's writer inserted
-- the row and in which order it committed: the rollup job follows that order per writer.
CREATE TABLE IF NOT EXISTS metric_raw (
    server_id VARCHAR(64) NOT NULL,
    seq BIGINT NOT NULL,
    ts BIGINT NOT NULL,
    writer_id VARCHAR(36) NOT NULL,
    writer_seq BIGINT NOT NULL,
    samples BYTEA NOT NULL,
    PRIMARY KEY (server_id, seq)
);

-- Range queries and the latest row of a server.
CREATE INDEX IF NOT EXISTS metric_raw_server_ts_idx ON metric_raw (server_id, ts);
-- The rollup job's scan; unique because a writer never reuses a writer_seq.
CREATE UNIQUE INDEX IF NOT EXISTS metric_raw_writer_idx ON metric_raw (writer_id, writer_seq);
-- Retention.
CREATE INDEX IF NOT EXISTS metric_raw_ts_idx ON metric_raw (ts);

-- Rollups: min, max, sum and count per server, series and bucket start (epoch millis), so late samples merge in.
CREATE TABLE IF NOT EXISTS metric_1m (
    server_id VARCHAR(64) NOT NULL,
    series VARCHAR(200) NOT NULL,
    bucket BIGINT NOT NULL,
    min_value DOUBLE PRECISION NOT NULL,
    max_value DOUBLE PRECISION NOT NULL,
    sum_value DOUBLE PRECISION NOT NULL,
    sample_count BIGINT NOT NULL,
    PRIMARY KEY (server_id, series, bucket)
);

CREATE INDEX IF NOT EXISTS metric_1m_bucket_idx ON metric_1m (bucket);

CREATE TABLE IF NOT EXISTS metric_1h (
    server_id VARCHAR(64) NOT NULL,
    series VARCHAR(200) NOT NULL,
    bucket BIGINT NOT NULL,
    min_value DOUBLE PRECISION NOT NULL,
    max_value DOUBLE PRECISION NOT NULL,
    sum_value DOUBLE PRECISION NOT NULL,
    sample_count BIGINT NOT NULL,
    PRIMARY KEY (server_id, series, bucket)
);

CREATE INDEX IF NOT EXISTS metric_1h_bucket_idx ON metric_1h (bucket);

-- Per writer: the highest writer_seq already folded into the rollups.
CREATE TABLE IF NOT EXISTS rollup_progress (
    writer_id VARCHAR(36) NOT NULL PRIMARY KEY,
    upto BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS users (
    username VARCHAR(64) NOT NULL PRIMARY KEY,
    password_hash VARCHAR(100) NOT NULL,
    role VARCHAR(16) NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS sessions (
    token_hash VARCHAR(64) NOT NULL PRIMARY KEY,
    username VARCHAR(64) NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS enrollment_tokens (
    token_hash VARCHAR(64) NOT NULL PRIMARY KEY,
    created_by VARCHAR(64) NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    max_uses INT NOT NULL,
    uses INT NOT NULL
);

CREATE TABLE IF NOT EXISTS agent_credentials (
    server_id VARCHAR(64) NOT NULL PRIMARY KEY,
    credential_hash VARCHAR(64) NOT NULL UNIQUE,
    machine_id VARCHAR(128),
    hostname VARCHAR(255),
    created_at BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS servers (
    server_id VARCHAR(64) NOT NULL PRIMARY KEY,
    hostname VARCHAR(255) NOT NULL,
    created_at BIGINT NOT NULL
);
