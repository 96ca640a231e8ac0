package io.steward.agent.checks;

import io.steward.core.checks.CheckDefinition;
import io.steward.core.checks.CheckResult;
import io.steward.core.checks.ProbeOutcome;
import java.net.InetAddress;
import java.time.Instant;

/** One TCP attempt: resolve, connect to the first address, close. */
final class TcpProbe {
    private final Connector connector;

    TcpProbe(Connector connector) {
        this.connector = connector;
    }

    CheckResult run(String checkId, CheckDefinition.Tcp check) {
        Instant startedAt = Instant.now();
        Phases phases = new Phases();
        Deadline deadline = new Deadline(check.timeout());
        String seen = null;
        try {
            InetAddress address = connector.resolve(check.host(), deadline, phases).get(0);
            seen = address.getHostAddress();
            Connector.closeQuietly(connector.connect(address, check.port(), deadline, phases));
            return new CheckResult(checkId, startedAt, ProbeOutcome.UP, null, null, phases.timings(), null, seen,
                    null, null, null);
        } catch (ProbeFailure failure) {
            return new CheckResult(checkId, startedAt, ProbeOutcome.DOWN, failure.reason(), failure.getMessage(),
                    phases.timings(), null, seen, null, null, null);
        }
    }
}
