package io.steward.agent.backup.operation;

import static java.util.Objects.requireNonNull;

import io.steward.agent.backup.AgentKey;
import io.steward.agent.backup.Programs;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * What every backup operation works with: the programs, the agent's key, a directory for its scratch files
 * ({@code work/<commandId>/}, deleted after), the clock, and how long to wait for a destination another rsync holds.
 *
 * @param busyRetries pauses between attempts while rrsync's lock is held (a run's previous connection can hold
 *     it for a second or two after it ended); browsing and restoring do not wait
 */
public record BackupTools(Programs programs, AgentKey key, Path workRoot, Clock clock, String agentVersion,
        String rsyncVersion, List<Duration> busyRetries) {
    public static final List<Duration> BUSY_RETRIES = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(15));

    public BackupTools {
        requireNonNull(programs, "programs is null");
        requireNonNull(key, "key is null");
        requireNonNull(workRoot, "workRoot is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(agentVersion, "agentVersion is null");
        busyRetries = List.copyOf(busyRetries);
    }
}
