package io.steward.node.checks;

import io.steward.core.alerting.DefaultRules;
import io.steward.core.alerting.ServerFacts;
import io.steward.core.checks.CertificateInfo;
import io.steward.core.checks.CertificateWarnings;
import io.steward.core.checks.CheckDefinition;
import io.steward.core.checks.CheckResult;
import io.steward.core.checks.CheckState;
import io.steward.core.checks.Quorum;
import io.steward.core.checks.QuorumDecision;
import io.steward.core.checks.VantageTally;
import io.steward.node.alerting.AlertSubject;
import io.steward.node.alerting.RuleSource;
import io.steward.node.server.AlertDecisions;
import io.steward.node.server.AlertEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A check's judgement, without an actor: the quorum over the vantages' tallies, what changed about its certificates,
 * and the alert transitions the resulting series cause. Inside a maintenance window nothing new pends or fires;
 * what is firing may still resolve.
 */
public final class CheckDecisions {
    /** How long {@code cert.changed} stays 1 after an unexpected replacement. */
    static final Duration CHANGE_ALERT_FOR = Duration.ofDays(1);

    private CheckDecisions() {}

    /** The events to persist and the check's series now. */
    public record Judgement(List<CheckEvent> events, Map<String, Double> samples, QuorumDecision decision,
            CheckState state, @Nullable CertificateInfo certificate, boolean mismatch, @Nullable Double latencyMillis) {}

    /**
     * @param stoodStillWithin how long the judging process stood still between a time and now (its pause watch). A
     *     vantage's result goes stale after its limit of this process's running time, not of the wall clock: after a
     *     freeze (a suspended VM) the results sent meanwhile wait unread behind the judgement, and counting the pause
     *     would have their vantages abstain, the check judged on whichever connection's results are read first.
     */
    public static Judgement judge(String id, CheckEntityState current, List<VantageTally> tallies, Instant now,
            boolean inMaintenance, RuleSource.Rules rules, Function<Instant, Duration> stoodStillWithin) {
        CheckSpec spec = Objects.requireNonNull(current.spec(), "judging a check with no definition");
        CheckDefinition definition = spec.definition();
        Duration limit = Quorum.staleAfter(definition);
        QuorumDecision decision = Quorum.decide(tallies, definition.retries(), now, tally -> tally.latest() == null
                ? limit : limit.plus(stoodStillWithin.apply(tally.latest().startedAt())));
        List<CheckEvent> events = new ArrayList<>();
        // Nothing to judge (no results since a restart, or every vantage abstains) keeps the last state: a check
        // that was down is not declared anything else because its vantages went quiet.
        // A check left with no vantage at all (its group emptied) is pending: its alerts end.
        CheckState state = decision.state() == CheckState.PENDING && current.state() != CheckState.PENDING
                && !tallies.isEmpty() ? current.state() : decision.state();
        if (state != current.state()) {
            events.add(new CheckEvent.StateChanged(current.state(), state, decision.vantages(),
                    decision.failingAddresses(), now));
        }

        List<CertificateInfo> seen = new ArrayList<>();
        List<CertificateWarnings.Observation> observations = new ArrayList<>();
        Set<String> primaryFingerprints = new LinkedHashSet<>();
        CertificateInfo primary = null;
        List<Double> latencies = new ArrayList<>();
        // The quorum's verdict for each vantage, one per tally in their order, says which judge.
        for (int i = 0; i < tallies.size(); i++) {
            VantageTally tally = tallies.get(i);
            CheckResult latest = tally.latest();
            if (latest == null || !decision.vantages().get(i).state().judges()) {
                continue;
            }
            latencies.add(latest.timings().totalMillis());
            if (!latest.certificates().isEmpty()) {
                seen.addAll(latest.certificates());
                observations.addAll(CertificateWarnings.observations(tally.vantage(), latest));
                primary = latest.certificates().get(0);
                primaryFingerprints.add(primary.fingerprint());
            }
        }
        String known = current.certificate() == null ? null : current.certificate().fingerprint();
        // A new certificate counts once every judging vantage sees the same one (disagreeing ones are a mismatch).
        if (primary != null && primaryFingerprints.size() == 1 && !primary.fingerprint().equals(known)) {
            String pinned = pinned(definition);
            boolean renewal = current.certificate() != null
                    && current.certificate().issuer().equals(primary.issuer())
                    && primary.notAfter().isAfter(current.certificate().notAfter());
            boolean unexpected = CertificateWarnings.fingerprintChanged(known, primary.fingerprint(), pinned)
                    && !renewal;
            events.add(new CheckEvent.CertificateSeen(primary, known, unexpected, now));
        }
        Map<String, List<CertificateWarnings.Served>> disagreements = CertificateWarnings.disagreements(observations);
        List<String> disagreeing = disagreements.values().stream().flatMap(List::stream)
                .map(CertificateWarnings.Served::fingerprint).distinct().toList();
        boolean mismatch = !disagreeing.isEmpty();
        if (!seen.isEmpty() && !disagreeing.equals(current.disagreeing())) {
            events.add(new CheckEvent.CertificatesDisagree(disagreeing, now));
        }
        CertificateInfo earliest = CertificateWarnings.earliestExpiring(seen).orElse(null);
        Integer daysLeft = earliest == null ? null : (int) earliest.daysLeftAt(now);
        List<Integer> warnDays = warnDays(definition);
        if (daysLeft != null && !warnDays.isEmpty()) {
            OptionalInt reached = CertificateWarnings.thresholdReached(warnDays, daysLeft);
            boolean renewedNow = events.stream().anyMatch(event -> event instanceof CheckEvent.CertificateSeen);
            Integer warned = renewedNow ? null : current.warnedThreshold();
            if (reached.isPresent() && (warned == null || reached.getAsInt() < warned)) {
                events.add(new CheckEvent.CertificateExpiring(reached.getAsInt(), daysLeft, earliest.fingerprint(),
                        spec.name(), spec.group(), now));
            }
        }

        String subject = CheckId.subject(id);
        Map<String, Double> samples = new LinkedHashMap<>();
        if (state != CheckState.PENDING) {
            samples.put(series(DefaultRules.CHECK_DOWN, id), state == CheckState.DOWN ? 1.0 : 0.0);
            samples.put(series(DefaultRules.CHECK_PARTIAL, id), state == CheckState.PARTIAL ? 1.0 : 0.0);
        }
        if (daysLeft != null) {
            samples.put(series(DefaultRules.CERT_DAYS_LEFT, id), daysLeft.doubleValue());
            samples.put(series(DefaultRules.CERT_MISMATCH, id), mismatch ? 1.0 : 0.0);
        }
        Instant changedAt = events.stream().filter(event -> event instanceof CheckEvent.CertificateSeen seenEvent
                        && seenEvent.unexpected()).map(CheckEvent::at).findFirst()
                .orElse(current.unexpectedChangeAt());
        if (changedAt != null || current.certificate() != null || primary != null) {
            samples.put(series(DefaultRules.CERT_CHANGED, id),
                    changedAt != null && now.isBefore(changedAt.plus(CHANGE_ALERT_FOR)) ? 1.0 : 0.0);
        }
        // A check's own series resolve when missing, except certificate ones: a site that stopped answering shows
        // no certificate, which says nothing about its expiry.
        List<AlertEvent> transitions = AlertDecisions.evaluate(rules,
                new ServerFacts(subject, spec.group(), List.of()), current.alerts(), samples, now, now,
                seriesName -> !seriesName.startsWith("cert."),
                new AlertSubject(spec.name(), spec.group(), List.of()));
        for (AlertEvent transition : transitions) {
            if (inMaintenance && (transition instanceof AlertEvent.Pending || transition instanceof AlertEvent.Fired)) {
                continue; // suppressed: it pends or fires when the window closes, if it still holds
            }
            events.add(new CheckEvent.Alerted(transition));
        }
        CertificateInfo shown = earliest != null ? earliest : current.certificate();
        return new Judgement(events, samples, decision, inMaintenance ? CheckState.MAINTENANCE : state, shown,
                mismatch, median(latencies));
    }

    /** The series name of {@code metric} for check {@code id}: {@code url.down{check=homepage-k3x9q2}}. */
    public static String series(String metric, String id) {
        return metric + "{check=" + id + "}";
    }

    private static @Nullable String pinned(CheckDefinition definition) {
        if (definition instanceof CheckDefinition.Http http) {
            return http.acceptFingerprint();
        }
        return definition instanceof CheckDefinition.Tls tls ? tls.acceptFingerprint() : null;
    }

    private static List<Integer> warnDays(CheckDefinition definition) {
        if (definition instanceof CheckDefinition.Http http) {
            return http.warnDays();
        }
        return definition instanceof CheckDefinition.Tls tls ? tls.warnDays() : List.of();
    }

    static @Nullable Double median(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
