package io.steward.core.backup;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Why a backup operation did not succeed, classified by the agent from rsync's and ssh's messages (never from
 * their exit codes alone: ssh ends with 255 or 12 for the same failure).
 */
public enum BackupFailure {
    /** Sources or destination outside the agent's allow-list, or backups not enabled on the agent. */
    NOT_ALLOWED,
    /** The job is already running on this agent. */
    ALREADY_RUNNING,
    /** The destination's host key is not the pinned one: possibly someone in the middle. */
    HOST_KEY_CHANGED,
    /** No host key is pinned (or known) for the destination yet. */
    HOST_KEY_UNKNOWN,
    /** The destination refused the agent's key. */
    AUTH_REFUSED,
    /** The destination could not be reached (refused, no route, name not found, timed out). */
    UNREACHABLE,
    /** Another rsync holds the destination directory (rrsync's lock): a run, restore or browse in progress. */
    DESTINATION_BUSY,
    /** The destination's disk is full. */
    DESTINATION_FULL,
    /** A source directory does not exist or cannot be read at all. */
    SOURCE_MISSING,
    /** The job's timeout passed; rsync was stopped. */
    TIMED_OUT,
    /** The agent stopped while it ran. */
    INTERRUPTED,
    /** rsync failed for another reason (its last lines say which). */
    RSYNC_FAILED,
    /** A verification found files whose restored content differs from the source. */
    MISMATCH;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
