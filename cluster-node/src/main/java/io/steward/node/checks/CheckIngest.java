package io.steward.node.checks;

import static java.util.Objects.requireNonNull;

import io.steward.core.checks.CheckResult;
import io.steward.core.checks.PhaseTimings;
import io.steward.core.protocol.AgentMessage;
import io.steward.node.database.Blocking;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an agent's {@code check-results} go: each check's entity judges them, each result becomes a row of series
 * (up and latency per phase, by vantage) under the check's subject, and failures keep their words. Results of checks
 * the agent does not run by this node's plan are dropped (an agent reports only on what it was given).
 */
public final class CheckIngest {
    private static final Logger log = LoggerFactory.getLogger(CheckIngest.class);
    /** How far ahead of the node's clock a result's start may be before it is taken as "now". */
    static final java.time.Duration MAX_CLOCK_AHEAD = java.time.Duration.ofMinutes(1);

    private final ClusterSharding sharding;
    private final CheckAssignments assignments;
    private final CheckSeriesSink series;
    private final CheckFailures failures;
    private final Blocking blocking;

    public CheckIngest(ClusterSharding sharding, CheckAssignments assignments, CheckSeriesSink series,
            CheckFailures failures, Blocking blocking) {
        this.sharding = requireNonNull(sharding, "sharding is null");
        this.assignments = requireNonNull(assignments, "assignments is null");
        this.series = requireNonNull(series, "series is null");
        this.failures = requireNonNull(failures, "failures is null");
        this.blocking = requireNonNull(blocking, "blocking is null");
    }

    /** Handles one frame from {@code serverId}'s agent; never blocks the caller. */
    public void accept(String serverId, AgentMessage.CheckResults frame) {
        if (!frame.refused().isEmpty()) {
            log.warn("Server [{}] refused [{}] checks (over its agent's cap, or checks are off there): {}", serverId,
                    frame.refused().size(), frame.refused().subList(0, Math.min(10, frame.refused().size())));
        }
        Map<String, List<CheckResult>> byCheck = new LinkedHashMap<>();
        boolean unknown = false;
        java.time.Instant latest = java.time.Instant.now().plus(MAX_CLOCK_AHEAD);
        for (CheckResult result : frame.results()) {
            if (CheckId.isValid(result.checkId()) && assignments.runs(serverId, result.checkId())) {
                byCheck.computeIfAbsent(result.checkId(), id -> new ArrayList<>()).add(plausible(result, latest));
            } else {
                unknown = true;
            }
        }
        if (unknown) {
            assignments.refreshSoon(); // a check made through another node, or one this agent no longer runs
        }
        if (byCheck.isEmpty()) {
            return;
        }
        List<CheckResult> accepted = new ArrayList<>();
        byCheck.forEach((checkId, results) -> {
            sharding.entityRefFor(CheckEntity.TYPE_KEY, checkId)
                    .tell(new CheckCommand.Record(serverId, results, frame.votes()));
            for (CheckResult result : results) {
                series.write(CheckId.subject(checkId), result.startedAt(), samples(serverId, result));
            }
            accepted.addAll(results);
        });
        if (accepted.stream().anyMatch(result -> !result.up())) {
            blocking.run(() -> failures.record(serverId, accepted)).whenComplete((done, failure) -> {
                if (failure != null) {
                    log.warn("Could not record the failed check results of server [{}]", serverId, failure);
                }
            });
        }
    }

    /**
     * An agent's clock far ahead would stamp results in the future: such a result would never go stale and would
     * hide every later one of its vantage. It is taken as started now.
     */
    private static CheckResult plausible(CheckResult result, java.time.Instant latest) {
        if (!result.startedAt().isAfter(latest)) {
            return result;
        }
        return new CheckResult(result.checkId(), java.time.Instant.now(), result.outcome(), result.reason(),
                result.message(), result.timings(), result.statusCode(), result.resolvedAddress(),
                result.bodyExcerpt(), result.certificates(), result.answers());
    }

    /** One result's series: {@code check.up{vantage=…}} and {@code check.latency.<phase>{vantage=…}} in ms. */
    static Map<String, Double> samples(String vantage, CheckResult result) {
        Map<String, Double> samples = new LinkedHashMap<>();
        String label = "{vantage=" + vantage + "}";
        samples.put("check.up" + label, result.up() ? 1.0 : 0.0);
        PhaseTimings timings = result.timings();
        put(samples, "check.latency.dns" + label, timings.dnsMillis());
        put(samples, "check.latency.connect" + label, timings.connectMillis());
        put(samples, "check.latency.tls" + label, timings.tlsMillis());
        put(samples, "check.latency.first_byte" + label, timings.firstByteMillis());
        samples.put("check.latency.total" + label, timings.totalMillis());
        return samples;
    }

    private static void put(Map<String, Double> samples, String series, Double value) {
        if (value != null) {
            samples.put(series, value);
        }
    }
}
