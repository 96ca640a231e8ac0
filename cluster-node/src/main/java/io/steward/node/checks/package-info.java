/**
 * URL, TCP, TLS and DNS checks run from the agents: one sharded, event-sourced {@link io.steward.node.checks.CheckEntity}
 * per check owns its definition, its quorum state and its alerts (a check spans servers, so it cannot live in one
 * server's entity); the index of checks, maintenance windows and status pages are tables; assignments go to the agents
 * through their server entities, results come back through the agent connection.
 */
package io.steward.node.checks;
