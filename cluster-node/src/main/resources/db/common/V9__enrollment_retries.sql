-- An enrollment whose welcome never reached its agent (the connection dropped, a node failed over) is retried with
-- the same token by the same agent. The server remembers the token that enrolled it, the hash of the agent's
-- enrollment proof (a random secret the agent saved before its first attempt and sends with each), and whether its
-- credential was ever used: until it is, a retry with the same token and the same proof gets a fresh credential for
-- the same server without another use of the token. Knowing the token and the machine id is not enough.
ALTER TABLE agent_credentials ADD COLUMN IF NOT EXISTS enrolled_with VARCHAR(64);
ALTER TABLE agent_credentials ADD COLUMN IF NOT EXISTS enrollment_proof_hash VARCHAR(64);
ALTER TABLE agent_credentials ADD COLUMN IF NOT EXISTS first_used_at BIGINT;
