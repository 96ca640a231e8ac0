-- Packed raw reports (io.steward.node.metrics.CompactionJob): once the rollup job has folded a server's raw rows, they
-- move into the chunk row of their window (10 minutes by default), encoded by core's ChunkCodec (the series
-- names once, times and sequences as deltas, values bit-packed): ~2 bytes per sample instead of ~45 in metric_raw.
-- metric_raw stays the write-ahead tail that acknowledged reports land in. start_ts/end_ts: the first and last
-- report's collection time (epoch millis); first_seq/last_seq: the lowest and highest report sequence inside.
CREATE TABLE IF NOT EXISTS metric_chunk (
    server_id VARCHAR(64) NOT NULL,
    end_ts BIGINT NOT NULL,
    first_seq BIGINT NOT NULL,
    start_ts BIGINT NOT NULL,
    last_seq BIGINT NOT NULL,
    report_count INT NOT NULL,
    sample_count INT NOT NULL,
    payload VARBINARY NOT NULL,
    PRIMARY KEY (server_id, end_ts, first_seq)
);

-- The writer's check that a replayed report is not already packed: chunks whose sequences reach a given one.
CREATE INDEX IF NOT EXISTS metric_chunk_server_seq_idx ON metric_chunk (server_id, last_seq);
-- Retention.
CREATE INDEX IF NOT EXISTS metric_chunk_end_idx ON metric_chunk (end_ts);
