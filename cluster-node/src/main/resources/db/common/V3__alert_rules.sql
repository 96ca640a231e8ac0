-- Alert rules, shared by every node; each node keeps a snapshot in memory that its server entities read.
-- target is a series name; without a label it covers every series of the metric (disk.percent = every mount).
-- scope_kind: GLOBAL, GROUP, TAG or SERVER (scope_value names the group, tag or server id).
CREATE TABLE IF NOT EXISTS alert_rules (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    target VARCHAR(200) NOT NULL,
    comparison VARCHAR(8) NOT NULL,
    threshold DOUBLE PRECISION NOT NULL,
    recovery DOUBLE PRECISION NOT NULL,
    for_millis BIGINT NOT NULL,
    severity VARCHAR(16) NOT NULL,
    scope_kind VARCHAR(16) NOT NULL,
    scope_value VARCHAR(100),
    enabled BOOLEAN NOT NULL,
    updated_by VARCHAR(64) NOT NULL,
    updated_at BIGINT NOT NULL
);

-- One-time steps done by code rather than SQL (e.g. seeding the default alert rules, which deleting must not undo).
CREATE TABLE IF NOT EXISTS steward_flags (
    name VARCHAR(64) NOT NULL PRIMARY KEY,
    set_at BIGINT NOT NULL
);
