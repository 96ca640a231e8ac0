package io.steward.agent.backup.operation;

import io.steward.core.backup.RunStats;
import java.time.Instant;

/**
 * The content of {@code .steward/complete/<snapshot>}: pushed after rsync finished, it is what makes the snapshot
 * good. What it holds is for people and later checks; its presence alone is the proof.
 */
record CompletionMarker(String snapshot, String runId, String jobId, Instant startedAt, Instant copiedAt,
        RunStats stats, int problemFiles, String rsyncVersion, String agentVersion) {}
