package io.steward.core.services;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One service as an agent sees it: a systemd unit or a supervised process from the agent's own config.
 *
 * @param status what matters for recovery: running or not (a unit in "failed", a process that is gone, a port that
 *     does not answer are all {@link Status#DOWN})
 * @param detail the backend's own words: systemd's {@code active/sub} state, or why a check failed
 * @param controllable whether the agent will act on it (configured); discovered units are read-only
 */
public record ServiceState(
        String name,
        Kind kind,
        Status status,
        String detail,
        String description,
        Long mainPid,
        Long memoryBytes,
        Double cpuPercent,
        Integer restarts,
        Instant since,
        boolean controllable) {

    public enum Kind { SYSTEMD, PROCESS }

    public enum Status { RUNNING, DOWN, STOPPED, UNKNOWN }

    /** Service names: what a config file or systemd may call a unit (no spaces, no shell characters). */
    public static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9@._:-]{1,128}");

    public ServiceState {
        requireNonNull(name, "name is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(status, "status is null");
    }
}
