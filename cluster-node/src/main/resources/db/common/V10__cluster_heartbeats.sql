-- Every Up node writes its cluster address and the time here every few seconds. A node that is the first seed node
-- (the one allowed to form a new cluster) reads it before it starts: when other members wrote recently, a cluster is
-- alive somewhere — behind a partition, perhaps — so it only joins, and never forms a second cluster writing to this
-- same database (see io.steward.node.cluster.SeedGuard).
CREATE TABLE IF NOT EXISTS cluster_heartbeats (
    member_address VARCHAR(255) NOT NULL PRIMARY KEY,
    seen_at BIGINT NOT NULL
);
