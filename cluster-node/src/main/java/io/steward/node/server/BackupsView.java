package io.steward.node.server;

import io.steward.core.backup.BackupTiming;
import io.steward.core.protocol.AgentMessage;
import io.steward.node.serialization.CborSerializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A server's backups as its entity answers for them: the jobs, what the agent allows, whether it is connected, the
 * latest progress of what is running (by job id), and the entity's clock at the answer (ages and badges use it).
 */
public record BackupsView(List<BackupJob> jobs, AgentBackups agent, boolean connected,
        Map<String, AgentMessage.BackupProgress> progress, Instant now, BackupTiming timing)
        implements CborSerializable {
    public BackupsView {
        jobs = List.copyOf(jobs);
        progress = Map.copyOf(progress);
    }

    public Optional<BackupJob> job(String jobId) {
        return jobs.stream().filter(job -> job.id().equals(jobId)).findFirst();
    }
}
