-- Agent identity hardening: enrollment tokens can be revoked (and are listed by a short public id), agent credentials
-- rotate (the next credential is valid alongside the current one until the agent first presents it) and can be
-- revoked per server without deleting the server, and re-enrolling a known machine is a recorded request that may
-- need an admin's approval.

ALTER TABLE enrollment_tokens ADD COLUMN IF NOT EXISTS revoked_at BIGINT;
ALTER TABLE enrollment_tokens ADD COLUMN IF NOT EXISTS revoked_by VARCHAR(64);

-- A revoked credential's hash is replaced by 'revoked:<server id>' (unique, never a SHA-256 hex), so the machine id
-- stays known and the server keeps its history.
ALTER TABLE agent_credentials ADD COLUMN IF NOT EXISTS next_credential_hash VARCHAR(64);
ALTER TABLE agent_credentials ADD COLUMN IF NOT EXISTS rotated_at BIGINT;
ALTER TABLE agent_credentials ADD COLUMN IF NOT EXISTS revoked_at BIGINT;

-- status: new (the entity has not decided yet), pending (waits for an admin), approved (the next hello with the same
-- token gets the credential), denied, done.
CREATE TABLE IF NOT EXISTS re_enrollments (
    request_id VARCHAR(32) NOT NULL PRIMARY KEY,
    server_id VARCHAR(64) NOT NULL,
    token_hash VARCHAR(64) NOT NULL,
    hostname VARCHAR(255) NOT NULL,
    remote VARCHAR(100) NOT NULL,
    requested_at BIGINT NOT NULL,
    status VARCHAR(16) NOT NULL,
    decided_by VARCHAR(64),
    decided_at BIGINT
);

CREATE INDEX IF NOT EXISTS re_enrollments_server_idx ON re_enrollments (server_id, token_hash);
