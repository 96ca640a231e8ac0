package io.steward.agent.checks;

import io.steward.core.checks.PhaseTimings;

/** Adds up the phases of one attempt (over every redirect hop); not thread-safe, one per attempt. */
final class Phases {
    private final long start = System.nanoTime();
    private Double dns;
    private Double connect;
    private Double tls;
    private Double firstByte;

    static double since(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000.0;
    }

    void dns(long startNanos) {
        dns = add(dns, since(startNanos));
    }

    void connect(long startNanos) {
        connect = add(connect, since(startNanos));
    }

    void tls(long startNanos) {
        tls = add(tls, since(startNanos));
    }

    void firstByte(long startNanos) {
        firstByte = add(firstByte, since(startNanos));
    }

    PhaseTimings timings() {
        return new PhaseTimings(dns, connect, tls, firstByte, since(start));
    }

    private static Double add(Double sum, double millis) {
        return sum == null ? millis : sum + millis;
    }
}
