-- An enrollment whose welcome never reached its agent (the connection dropped, a node failed over) is retried with
-- the same token by the same machine. The server remembers the token that enrolled it and whether its credential was
-- ever presented: until it is, that retry gets a fresh credential for the same server without another use of the
-- token (nothing live is displaced — the first credential was never used).
ALTER TABLE agent_credentials ADD COLUMN IF NOT EXISTS enrolled_with VARCHAR(64);
ALTER TABLE agent_credentials ADD COLUMN IF NOT EXISTS first_used_at BIGINT;
