package io.steward.node.checks;

import io.steward.core.checks.CertificateInfo;
import io.steward.core.checks.CheckState;
import io.steward.core.checks.QuorumDecision;
import io.steward.node.serialization.CborSerializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A check as its entity sees it now: the API's answer without what the store adds (uptime).
 *
 * @param state the state shown: {@link CheckState#MAINTENANCE} inside a maintenance window, else the quorum's
 * @param quorumState the quorum's state, also inside a maintenance window
 * @param certificate the earliest-expiring certificate the judging vantages saw lately, or the last one recorded
 * @param mismatch vantages or addresses are served different certificates
 * @param latencyMillis the median total latency of the judging vantages' latest results
 * @param latest each vantage's latest result since this node started judging the check: when it started, and the
 *     failure in words (null when up)
 */
public record CheckView(String id, CheckSpec spec, CheckState state, CheckState quorumState, Instant since,
        List<QuorumDecision.Verdict> vantages, List<String> failingAddresses, @Nullable CertificateInfo certificate,
        boolean mismatch, @Nullable Double latencyMillis, Instant createdAt, Instant updatedAt,
        Map<String, Latest> latest) implements CborSerializable {
    public CheckView {
        vantages = List.copyOf(vantages);
        failingAddresses = List.copyOf(failingAddresses);
        latest = latest == null ? Map.of() : Map.copyOf(latest);
    }

    /** A vantage's latest result, briefly. */
    public record Latest(Instant at, @Nullable String message) implements CborSerializable {}
}
