package io.steward.agent;

import io.steward.agent.checks.AgentChecks;
import java.net.URI;

/**
 * A snapshot of what an agent is doing, for embedders, tests and the simulator's progress line.
 *
 * @param connected a node welcomed the agent and the connection is open
 * @param serverId the server this agent reports as, once a node has told it (or from the saved state), else null
 * @param lastSentSequence the highest report sequence written to the socket so far in this process (0 if none)
 * @param lastAckedSequence the highest report sequence the node acknowledged as stored (0 if none)
 * @param spooledCount reports in the spool that the node has not acknowledged yet
 * @param droppedCount reports the spool dropped (bounds exceeded, or refused by the node) since this agent started
 * @param lastError the most recent connection or protocol problem, for humans, or null if there was none
 * @param hub the hub the agent is connected to or connecting to, or waiting to try next (null before the first try)
 * @param reportsSent report frames written to the socket since start, replays included
 * @param reportsAcked acknowledgements received since start
 * @param checks the assigned checks: how many run and were refused, the reference state, and their results sent,
 *     dropped while disconnected and dropped because the link could not keep up
 * @param interval the collection interval in force and where it came from (set locally, suggested by the node, or
 *     the default)
 */
public record AgentStatus(
        boolean connected,
        String serverId,
        long lastSentSequence,
        long lastAckedSequence,
        int spooledCount,
        long droppedCount,
        String lastError,
        URI hub,
        long reportsSent,
        long reportsAcked,
        AgentChecks.Status checks,
        CollectionInterval interval) {}
