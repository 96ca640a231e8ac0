package io.steward.node.server;

import io.steward.node.serialization.CborSerializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a server's entity persists about its backups: the jobs, by id in creation order, and what the agent allows;
 * part of {@link ServerState.Active}. Live progress is not here: it is pushed to the pages watching, never stored.
 */
public record BackupBook(Map<String, BackupJob> jobs, AgentBackups agent) implements CborSerializable {
    public static final BackupBook EMPTY = new BackupBook(Map.of(), AgentBackups.UNKNOWN);

    public BackupBook {
        // LinkedHashMap keeps the order jobs were created in (the page lists them so); copies stay unmodified.
        jobs = jobs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(jobs));
        agent = agent == null ? AgentBackups.UNKNOWN : agent;
    }

    public @Nullable BackupJob job(String jobId) {
        return jobs.get(jobId);
    }

    BackupBook apply(BackupEvent event) {
        if (event instanceof BackupEvent.AgentBackupsChanged changed) {
            return new BackupBook(jobs, changed.agent());
        }
        Map<String, BackupJob> next = new LinkedHashMap<>(jobs);
        if (event instanceof BackupEvent.JobCreated created) {
            next.put(created.jobId(), BackupJob.created(created.settings(), created.by(), created.at()));
        } else if (event instanceof BackupEvent.JobDeleted deleted) {
            next.remove(deleted.jobId());
        } else {
            BackupJob job = jobs.get(event.jobId());
            if (job == null) {
                return this; // a late fact about a job deleted since
            }
            next.put(job.id(), job.apply(event));
        }
        return new BackupBook(next, agent);
    }
}
