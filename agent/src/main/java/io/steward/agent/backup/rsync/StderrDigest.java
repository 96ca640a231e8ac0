package io.steward.agent.backup.rsync;

import io.steward.core.backup.BackupFailure;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what rsync and ssh print on stderr, line by line: why a call failed, which files could not be copied, and
 * the last lines for people. The exit code alone cannot say why: for every ssh-level failure rsync ends with 255
 * or 12 at random (it reads ssh's status only if ssh happens to be reaped already), so failures are told apart by
 * their messages, as OpenSSH 9 and rsync 3.2–3.5 print them.
 */
public final class StderrDigest {
    public static final int MAX_PROBLEM_FILES = 100;
    public static final int MAX_LINES = 20;
    private static final int MAX_LINE_LENGTH = 1000;

    private static final Pattern KEY_CHANGED = Pattern.compile(
            "^@ +WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!.*|^Host key for (.*) has changed and you have "
                    + "requested strict checking\\.$");
    private static final Pattern FINGERPRINT_FOLLOWS =
            Pattern.compile("^The fingerprint for the (\\S+) key sent by the remote host is$");
    private static final Pattern FINGERPRINT = Pattern.compile("^(SHA256:[A-Za-z0-9+/]+)\\.?$");
    private static final Pattern KEY_UNKNOWN = Pattern.compile(
            "^No (\\S+) host key is known for (.*) and you have requested strict checking\\.$"
                    + "|^Host key verification failed\\.$");
    private static final Pattern AUTH_REFUSED = Pattern.compile("^(\\S+): Permission denied \\((.*)\\)\\.$");
    private static final Pattern UNREACHABLE = Pattern.compile(
            "^ssh: connect to host \\S+ port \\d+: .*$|^ssh: Could not resolve hostname .*$"
                    + "|^Connection timed out during banner exchange$|^Connection to \\S+ port \\d+ timed out$"
                    + "|^kex_exchange_identification: .*$|^Connection closed by \\S+ port \\d+$"
                    + "|^Timeout, server \\S+ not responding\\.$|.*\\bio timeout after \\d+ seconds.*"
                    + "|^rsync error: timeout in data send/receive.*");
    private static final Pattern BUSY =
            Pattern.compile(".*rrsync error: Another instance of rrsync is already accessing this directory\\..*");
    private static final Pattern FULL = Pattern.compile(".*: (No space left on device \\(28\\)|Disk quota exceeded"
            + " \\(122\\))$");
    private static final Pattern RRSYNC_ERROR = Pattern.compile(".*rrsync error: (.*)$");
    /** rrsync's words for a path that does not exist ("race detected" is misleading). */
    private static final Pattern RRSYNC_MISSING =
            Pattern.compile(".*rrsync error: post-realpath open failed \\(race detected\\): (.*) No such file or "
                    + "directory$");
    private static final Pattern RSYNC_ERROR = Pattern.compile("^rsync (?:error|warning): (.*) \\(code (\\d+)\\).*$");
    private static final Pattern VANISHED = Pattern.compile("^file has vanished: \"(.*)\"$");
    private static final Pattern FILE_FAILED = Pattern.compile(
            "^rsync: \\[(?:sender|generator|receiver|Receiver)\\] (.*?) \"(.*)\"(?: failed)?: (.*) \\((\\d+)\\)$");
    /** rrsync 3.5 pins directories and names files on the destination by their descriptor. */
    private static final Pattern PINNED = Pattern.compile("^/proc/self/fd/\\d+/");

    private final ArrayDeque<String> lastLines = new ArrayDeque<>();
    private final List<String> problemFiles = new ArrayList<>();
    private int problemFileCount;
    private boolean keyChanged;
    private Diagnosis keyUnknown;
    private Diagnosis authRefused;
    private Diagnosis unreachable;
    private Diagnosis busy;
    private Diagnosis full;
    private String rrsyncError;
    private String rsyncError;
    private String changedKeyType;
    private String newFingerprint;
    private boolean fingerprintNext;

    /** Takes one line of stderr (ssh ends its lines with {@code \r}). */
    public void accept(String rawLine) {
        String line = rawLine.endsWith("\r") ? rawLine.substring(0, rawLine.length() - 1) : rawLine;
        if (line.isBlank()) {
            return;
        }
        remember(line);
        if (fingerprintNext) {
            fingerprintNext = false;
            Matcher fingerprint = FINGERPRINT.matcher(line);
            if (fingerprint.matches()) {
                newFingerprint = fingerprint.group(1);
            }
        }
        Matcher match = FINGERPRINT_FOLLOWS.matcher(line);
        if (match.matches()) {
            changedKeyType = match.group(1);
            fingerprintNext = true;
        } else if (KEY_CHANGED.matcher(line).matches()) {
            keyChanged = true;
        } else if ((match = KEY_UNKNOWN.matcher(line)).matches() && keyUnknown == null) {
            keyUnknown = new Diagnosis(BackupFailure.HOST_KEY_UNKNOWN, "no pinned host key matches the destination"
                    + " (" + line + "): fetch its key again and confirm the fingerprint");
        } else if ((match = AUTH_REFUSED.matcher(line)).matches() && authRefused == null) {
            authRefused = new Diagnosis(BackupFailure.AUTH_REFUSED, "the destination refused this agent's key ("
                    + match.group(1) + "): install the agent's public key there with the rrsync line");
        } else if (UNREACHABLE.matcher(line).matches() && unreachable == null) {
            unreachable = new Diagnosis(BackupFailure.UNREACHABLE, "cannot reach the destination: " + line);
        } else if (BUSY.matcher(line).matches()) {
            busy = new Diagnosis(BackupFailure.DESTINATION_BUSY, "the destination directory is in use by another "
                    + "rsync (rrsync's lock): a backup, restore or browse of it is in progress; try again when it "
                    + "ends");
        } else if ((match = RRSYNC_MISSING.matcher(line)).matches()) {
            rrsyncError = "not found on the destination: " + match.group(1);
        } else if ((match = RRSYNC_ERROR.matcher(line)).matches()) {
            rrsyncError = "the destination's rrsync refused: " + match.group(1);
        } else if ((match = RSYNC_ERROR.matcher(line)).matches()) {
            rsyncError = line;
        } else if ((match = VANISHED.matcher(line)).matches()) {
            problemFile(match.group(1));
        } else if ((match = FILE_FAILED.matcher(line)).matches()) {
            problemFile(match.group(2));
        }
        if (full == null && FULL.matcher(line).matches()) {
            full = new Diagnosis(BackupFailure.DESTINATION_FULL, "the destination's disk is full: " + line);
        }
    }

    /**
     * Why the call failed, when stderr says so recognisably (host key, authentication, network, lock, disk);
     * empty otherwise — then {@link #reason()} gives rsync's own words.
     */
    public Optional<Diagnosis> diagnosis() {
        if (keyChanged) {
            return Optional.of(new Diagnosis(BackupFailure.HOST_KEY_CHANGED, "the destination's host key has changed"
                    + (newFingerprint == null ? "" : ": it now offers " + changedKeyType + " " + newFingerprint)
                    + ", not the pinned key, so someone may be in the middle; nothing was sent. If the destination"
                    + " was reinstalled, fetch its new key and confirm the fingerprint"));
        }
        for (Diagnosis found : new Diagnosis[] {keyUnknown, authRefused, unreachable, busy, full}) {
            if (found != null) {
                return Optional.of(found);
            }
        }
        return Optional.empty();
    }

    /** A one-line reason for an unrecognised failure: rrsync's refusal, rsync's error line, or the last line. */
    public String reason() {
        if (rrsyncError != null) {
            return rrsyncError;
        }
        if (rsyncError != null) {
            return rsyncError;
        }
        return lastLines.isEmpty() ? "" : lastLines.peekLast();
    }

    /** Files that vanished or could not be read or written, as paths (at most {@value #MAX_PROBLEM_FILES}). */
    public List<String> problemFiles() {
        return List.copyOf(problemFiles);
    }

    /** How many problem files stderr named, including those beyond the list's bound. */
    public int problemFileCount() {
        return problemFileCount;
    }

    /** The last {@value #MAX_LINES} lines, oldest first. */
    public List<String> lastLines() {
        return List.copyOf(lastLines);
    }

    private void problemFile(String printed) {
        problemFileCount++;
        if (problemFiles.size() < MAX_PROBLEM_FILES) {
            problemFiles.add(PINNED.matcher(RsyncEscapes.decode(printed)).replaceFirst(""));
        }
    }

    private void remember(String line) {
        lastLines.addLast(line.length() > MAX_LINE_LENGTH ? line.substring(0, MAX_LINE_LENGTH) + "…" : line);
        if (lastLines.size() > MAX_LINES) {
            lastLines.removeFirst();
        }
    }
}
