package io.steward.node.checks;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.steward.core.checks.CertificateInfo;
import io.steward.core.checks.CheckState;
import io.steward.core.checks.QuorumDecision;
import io.steward.node.serialization.CborSerializable;
import io.steward.node.server.AlertEvent;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A fact about one check, persisted by its entity: the check's audit history. Alert transitions reuse the servers'
 * {@link AlertEvent} records (wrapped), so the notifier, ledger and channels handle them as they are. Stored
 * forever: renaming a class or a field needs a Jackson migration.
 */
public sealed interface CheckEvent extends CborSerializable {

    /** When it happened, by the node's clock. */
    Instant at();

    /** The check was created ({@code created}) or its definition or group changed. */
    record Defined(CheckSpec spec, boolean created, String by, Instant at) implements CheckEvent {}

    record Deleted(String by, Instant at) implements CheckEvent {}

    /**
     * The quorum moved the check from one state to another (up, partial, down; pending only before the first
     * judgement). {@code verdicts} are every vantage's standing then — also what the entity resumes from after a
     * restart, so a check that was down stays down without waiting for its retries again.
     */
    record StateChanged(CheckState from, CheckState to, List<QuorumDecision.Verdict> verdicts,
            List<String> failingAddresses, Instant at) implements CheckEvent {
        public StateChanged {
            verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
            failingAddresses = failingAddresses == null ? List.of() : List.copyOf(failingAddresses);
        }
    }

    /**
     * A certificate was first seen, or every vantage now sees a new one; {@code unexpected} when it is not the pinned
     * one and not a renewal (same issuer, later expiry).
     *
     * @param previousFingerprint null the first time
     */
    record CertificateSeen(CertificateInfo certificate, @Nullable String previousFingerprint, boolean unexpected,
            Instant at) implements CheckEvent {}

    /**
     * The earliest-expiring certificate reached one of the check's warning thresholds (days): a notice to the
     * inbox and the channels (the notifier follows it), once per threshold and certificate.
     */
    record CertificateExpiring(int threshold, long daysLeft, String fingerprint, String check, @Nullable String group,
            Instant at) implements CheckEvent {}

    /** Vantages or addresses are served different certificates ({@code fingerprints}), or agree again (empty). */
    record CertificatesDisagree(List<String> fingerprints, Instant at) implements CheckEvent {
        public CertificatesDisagree {
            fingerprints = fingerprints == null ? List.of() : List.copyOf(fingerprints);
        }
    }

    /**
     * An alert of this check changed: what the notifier follows (tagged like the servers' alert events). The alert
     * event's class is written with it (it is one of several records of a sealed interface).
     */
    record Alerted(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, property = "@class") AlertEvent alert)
            implements CheckEvent {
        @Override
        public Instant at() {
            return alert.at();
        }
    }
}
