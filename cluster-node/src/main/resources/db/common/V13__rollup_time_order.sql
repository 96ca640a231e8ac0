-- A server's rollups in time order (io.steward.node.metrics.MetricExportReads): the primary keys are by series first,
-- for charts, so an export of every series "by time, then series" made the database sort all of the range's rows
-- before returning the first (5.27 million hourly rows: no byte for over two minutes on H2, and the download cut by
-- the HTTP idle timeout). With this index both databases read the rows in that order as they stream them.
CREATE INDEX IF NOT EXISTS metric_1m_server_bucket_idx ON metric_1m (server_id, bucket, series);
CREATE INDEX IF NOT EXISTS metric_1h_server_bucket_idx ON metric_1h (server_id, bucket, series);
