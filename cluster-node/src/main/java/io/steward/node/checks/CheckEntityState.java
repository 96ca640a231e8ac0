package io.steward.node.checks;

import io.steward.core.checks.CertificateInfo;
import io.steward.core.checks.CheckState;
import io.steward.core.checks.QuorumDecision;
import io.steward.node.serialization.CborSerializable;
import io.steward.node.server.AlertBook;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a check's entity keeps across restarts, built from its events: the definition, the quorum's state and every
 * vantage's standing at its last change, the certificate it knows, and its alerts. The vantages' running tallies are
 * not here: they are rebuilt from new results, seeded from {@link #verdicts}.
 *
 * @param unexpectedChangeAt when the certificate was last replaced unexpectedly (the {@code cert.changed} series is
 *     1 for a day after)
 * @param warnedThreshold the smallest expiry threshold warned about for the current certificate
 * @param disagreeing the fingerprints served differently, while vantages or addresses disagree
 */
public record CheckEntityState(@Nullable CheckSpec spec, boolean deleted, CheckState state, @Nullable Instant since,
        List<QuorumDecision.Verdict> verdicts, List<String> failingAddresses, @Nullable CertificateInfo certificate,
        @Nullable Instant unexpectedChangeAt, @Nullable Integer warnedThreshold, List<String> disagreeing,
        AlertBook alerts, @Nullable Instant createdAt, @Nullable Instant updatedAt) implements CborSerializable {

    public static final CheckEntityState EMPTY = new CheckEntityState(null, false, CheckState.PENDING, null,
            List.of(), List.of(), null, null, null, List.of(), AlertBook.NONE, null, null);

    public CheckEntityState {
        verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
        failingAddresses = failingAddresses == null ? List.of() : List.copyOf(failingAddresses);
        disagreeing = disagreeing == null ? List.of() : List.copyOf(disagreeing);
        alerts = alerts == null ? AlertBook.NONE : alerts;
    }

    /** Defined and not deleted. */
    public boolean exists() {
        return spec != null && !deleted;
    }

    CheckEntityState apply(CheckEvent event) {
        if (event instanceof CheckEvent.Defined defined) {
            boolean fresh = defined.created() || spec == null || deleted;
            return new CheckEntityState(defined.spec(), false, fresh ? CheckState.PENDING : state,
                    fresh ? defined.at() : since, fresh ? List.of() : verdicts, fresh ? List.of() : failingAddresses,
                    fresh ? null : certificate, fresh ? null : unexpectedChangeAt, fresh ? null : warnedThreshold,
                    fresh ? List.of() : disagreeing, fresh ? AlertBook.NONE : alerts,
                    fresh ? defined.at() : createdAt, defined.at());
        }
        if (event instanceof CheckEvent.Deleted deletedEvent) {
            return new CheckEntityState(spec, true, state, since, verdicts, failingAddresses, certificate,
                    unexpectedChangeAt, warnedThreshold, disagreeing, AlertBook.NONE, createdAt, deletedEvent.at());
        }
        if (event instanceof CheckEvent.StateChanged changed) {
            return new CheckEntityState(spec, deleted, changed.to(), changed.at(), changed.verdicts(),
                    changed.failingAddresses(), certificate, unexpectedChangeAt, warnedThreshold, disagreeing, alerts,
                    createdAt, updatedAt);
        }
        if (event instanceof CheckEvent.CertificateSeen seen) {
            return new CheckEntityState(spec, deleted, state, since, verdicts, failingAddresses, seen.certificate(),
                    seen.unexpected() ? seen.at() : unexpectedChangeAt, null, disagreeing, alerts, createdAt,
                    updatedAt);
        }
        if (event instanceof CheckEvent.CertificateExpiring expiring) {
            return new CheckEntityState(spec, deleted, state, since, verdicts, failingAddresses, certificate,
                    unexpectedChangeAt, expiring.threshold(), disagreeing, alerts, createdAt, updatedAt);
        }
        if (event instanceof CheckEvent.CertificatesDisagree disagree) {
            return new CheckEntityState(spec, deleted, state, since, verdicts, failingAddresses, certificate,
                    unexpectedChangeAt, warnedThreshold, disagree.fingerprints(), alerts, createdAt, updatedAt);
        }
        CheckEvent.Alerted alerted = (CheckEvent.Alerted) event;
        return new CheckEntityState(spec, deleted, state, since, verdicts, failingAddresses, certificate,
                unexpectedChangeAt, warnedThreshold, disagreeing, alerts.apply(alerted.alert()), createdAt, updatedAt);
    }
}
