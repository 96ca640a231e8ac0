package io.steward.agent.backup.operation;

import static java.util.Objects.requireNonNull;

import io.steward.agent.backup.BackupsConfig;
import io.steward.core.backup.BackupDestination;
import io.steward.core.backup.BackupJobSpec;
import io.steward.core.backup.BackupPaths;
import io.steward.core.protocol.NodeMessage;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What this agent allows, checked before anything runs: a node names jobs, but only within the agent's own
 * allow-lists. Each refusal says what was outside which list. Pure; symbolic links are resolved separately, by the
 * operations, right before they start.
 */
public final class Checks {
    private final BackupsConfig config;

    public Checks(BackupsConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    /** Why {@code job} may not run here, if it may not. */
    public Optional<String> job(BackupJobSpec job) {
        for (String source : job.sources()) {
            if (!BackupPaths.withinAny(source, config.allowSources())) {
                return Optional.of("source " + source + " is outside this agent's allowSources "
                        + config.allowSources());
            }
        }
        return destination(job.destination());
    }

    public Optional<String> destination(BackupDestination destination) {
        if (!destination.allowedBy(config.allowDestinations())) {
            return Optional.of("destination " + destination.address() + " is not in this agent's allowDestinations "
                    + config.allowDestinations());
        }
        return Optional.empty();
    }

    /** The path must be one of the job's (restoring only what it backs up), the target within allowSources. */
    public Optional<String> restore(NodeMessage.RestoreFiles restore) {
        Optional<String> job = job(restore.job());
        if (job.isPresent()) {
            return job;
        }
        if (!BackupPaths.withinAny(restore.path(), restore.job().sources())) {
            return Optional.of("path " + restore.path() + " is not within the job's sources "
                    + restore.job().sources());
        }
        if (restore.target() != null && !BackupPaths.withinAny(restore.target(), config.allowSources())) {
            return Optional.of("target " + restore.target() + " is outside this agent's allowSources "
                    + config.allowSources());
        }
        return Optional.empty();
    }

    /**
     * The path must be in the job's sources or lead to them ({@code /}, {@code /srv} for {@code /srv/www}): a
     * snapshot holds nothing else, and a picker walks down from the top.
     */
    public Optional<String> browse(NodeMessage.BrowseSnapshot browse) {
        Optional<String> job = job(browse.job());
        if (job.isPresent()) {
            return job;
        }
        String path = browse.path();
        boolean leadsToASource = browse.job().sources().stream()
                .anyMatch(source -> BackupPaths.within(source, path) || BackupPaths.within(path, source));
        if (!leadsToASource) {
            return Optional.of("path " + path + " is neither within the job's sources " + browse.job().sources()
                    + " nor above them");
        }
        return Optional.empty();
    }

    /** Whether {@code realPath} (symbolic links resolved) is within allowSources. */
    public boolean allowedSource(Path realPath) {
        return BackupPaths.withinAny(realPath.toString(), config.allowSources());
    }

    public BackupsConfig config() {
        return config;
    }
}
