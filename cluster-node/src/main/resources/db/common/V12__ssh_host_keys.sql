-- SSH host keys an admin confirmed when installing an agent over SSH (io.steward.node.install.HostKeyPins): the next
-- install to the same host and port is refused when the host presents another key, unless an admin accepts the change.
CREATE TABLE IF NOT EXISTS ssh_host_keys (
    host VARCHAR(253) NOT NULL,
    port INT NOT NULL,
    fingerprint VARCHAR(100) NOT NULL,
    key_type VARCHAR(50) NOT NULL,
    trusted_by VARCHAR(100) NOT NULL,
    trusted_at BIGINT NOT NULL,
    PRIMARY KEY (host, port)
);
