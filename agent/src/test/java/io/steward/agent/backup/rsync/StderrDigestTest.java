package io.steward.agent.backup.rsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.backup.BackupFailure;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every captured failure is told apart by what rsync and ssh printed, never by the exit code. */
class StderrDigestTest {
    private static final Pattern EXIT_CODE = Pattern.compile("\\(code (\\d+)\\)");

    private static StderrDigest digest(String fixture) {
        StderrDigest digest = new StderrDigest();
        Fixtures.stderrLines("stderr-" + fixture + ".txt").forEach(digest::accept);
        return digest;
    }

    /** The exit code the capture ended with (rsync's last line says it). */
    private static int exitCode(String fixture) {
        Matcher match = EXIT_CODE.matcher(Fixtures.text("stderr-" + fixture + ".txt"));
        int code = -1;
        while (match.find()) {
            code = Integer.parseInt(match.group(1));
        }
        return code;
    }

    @Test
    void everyCapturedFailureIsClassified() {
        Map<String, BackupFailure> expected = new LinkedHashMap<>();
        expected.put("hostkey-changed", BackupFailure.HOST_KEY_CHANGED);
        expected.put("hostkey-unknown", BackupFailure.HOST_KEY_UNKNOWN);
        expected.put("publickey-denied", BackupFailure.AUTH_REFUSED);
        expected.put("unknown-user", BackupFailure.AUTH_REFUSED);
        expected.put("conn-refused", BackupFailure.UNREACHABLE);
        expected.put("dns-fail", BackupFailure.UNREACHABLE);
        expected.put("banner-timeout", BackupFailure.UNREACHABLE);
        expected.put("busy-lock", BackupFailure.DESTINATION_BUSY);
        expected.put("disk-full", BackupFailure.DESTINATION_FULL);
        expected.put("remote-missing-path", BackupFailure.RSYNC_FAILED);
        expected.put("rrsync-disabled-option", BackupFailure.RSYNC_FAILED);
        expected.put("rrsync-dotdot", BackupFailure.RSYNC_FAILED);
        expected.forEach((fixture, failure) -> {
            RsyncExit exit = RsyncExit.of(exitCode(fixture), digest(fixture));
            assertThat(exit).as(fixture).isInstanceOf(RsyncExit.Failed.class);
            assertThat(((RsyncExit.Failed) exit).diagnosis().failure()).as(fixture).isEqualTo(failure);
        });
        // The same failure with the other exit code ssh gives at random is the same failure.
        assertThat(((RsyncExit.Failed) RsyncExit.of(12, digest("conn-refused"))).diagnosis().failure())
                .isEqualTo(BackupFailure.UNREACHABLE);
        assertThat(((RsyncExit.Failed) RsyncExit.of(255, digest("hostkey-unknown"))).diagnosis().failure())
                .isEqualTo(BackupFailure.HOST_KEY_UNKNOWN);
    }

    @Test
    void reasonsSayWhatHappenedAndWhatToDo() {
        assertThat(digest("hostkey-changed").diagnosis().orElseThrow().reason())
                .contains("host key has changed")
                .contains("ED25519 SHA256:qxXCzrv3ZIM4lyH8dx2zkLWXn3phxQZsBD7AinZ6OjA")
                .contains("nothing was sent");
        assertThat(digest("publickey-denied").diagnosis().orElseThrow().reason())
                .contains("stwbackup@127.0.0.1").contains("install the agent's public key");
        assertThat(digest("conn-refused").diagnosis().orElseThrow().reason())
                .isEqualTo("cannot reach the destination: ssh: connect to host 127.0.0.1 port 2223: "
                        + "Connection refused");
        assertThat(digest("busy-lock").diagnosis().orElseThrow().reason()).contains("in use by another rsync");
        assertThat(digest("rrsync-disabled-option").reason())
                .isEqualTo("the destination's rrsync refused: option -s has been disabled on this server.");
        assertThat(digest("remote-missing-path").reason())
                .isEqualTo("not found on the destination: snapshots/does-not-exist/");
        // Lines keep no \r (ssh's own end of line).
        assertThat(digest("hostkey-changed").lastLines()).noneMatch(line -> line.endsWith("\r"))
                .hasSizeLessThanOrEqualTo(StderrDigest.MAX_LINES);
    }

    @Test
    void unreadableAndVanishedFilesAreAWarningThatListsThem() {
        RsyncExit unreadable = RsyncExit.of(exitCode("exit23-unreadable"), digest("exit23-unreadable"));
        assertThat(unreadable).isEqualTo(new RsyncExit.Partial(23, java.util.List.of(
                "/tmp/rsync-proto/src/unreadable/lockeddir", "/tmp/rsync-proto/src/unreadable/sub/noperm.txt"), 2));
        RsyncExit vanished = RsyncExit.of(exitCode("exit24-vanished"), digest("exit24-vanished"));
        assertThat(vanished).isEqualTo(new RsyncExit.Partial(24, java.util.List.of(
                "/tmp/rsync-proto/src/vanish/z-small-2.txt", "/tmp/rsync-proto/src/vanish/zz-dir/inner.txt"), 2));
        // Destination paths lose rrsync's pinned-descriptor prefix.
        assertThat(digest("disk-full").problemFiles()).containsExactly("snap/blob1.bin");
    }

    @Test
    void theProblemListIsBoundedButCounted() {
        StderrDigest digest = new StderrDigest();
        for (int i = 0; i < 150; i++) {
            digest.accept("file has vanished: \"/srv/tmp/f" + i + "\"");
        }
        assertThat(digest.problemFiles()).hasSize(StderrDigest.MAX_PROBLEM_FILES);
        assertThat(digest.problemFileCount()).isEqualTo(150);
        assertThat(digest.lastLines()).hasSize(StderrDigest.MAX_LINES).last().isEqualTo(
                "file has vanished: \"/srv/tmp/f149\"");
        assertThat(RsyncExit.of(137, new StderrDigest())).isEqualTo(new RsyncExit.Failed(137,
                new Diagnosis(BackupFailure.RSYNC_FAILED, "rsync ended with signal 9 and said nothing")));
    }
}
