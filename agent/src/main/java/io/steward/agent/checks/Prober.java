package io.steward.agent.checks;

import io.steward.core.checks.AssignedCheck;
import io.steward.core.checks.CheckDefinition;
import io.steward.core.checks.CheckResult;
import io.steward.core.checks.FailureReason;
import io.steward.core.checks.PhaseTimings;
import io.steward.core.checks.ProbeOutcome;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one attempt of any kind of check; never throws (an unexpected error is a {@code PROBE_ERROR} result). */
public final class Prober implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Prober.class);

    private final ExecutorService lookups;
    private final HttpProbe http;
    private final TcpProbe tcp;
    private final TlsProbe tls;
    private final DnsProbe dns;

    /** The production prober: the system resolver and the JDK's trust store. */
    public static Prober system(ChecksSettings settings, String userAgent) {
        return new Prober(settings, userAgent, Resolver.SYSTEM, TlsInspector.systemTrust());
    }

    /**
     * @param resolver how names become addresses
     * @param validator what a certificate chain is judged by (the JDK's trust store in production)
     */
    public Prober(ChecksSettings settings, String userAgent, Resolver resolver, X509ExtendedTrustManager validator) {
        AtomicInteger threads = new AtomicInteger();
        // Lookups run beside the probes, so a hanging resolver costs a thread, never the deadline; bounded.
        this.lookups = new ThreadPoolExecutor(0, settings.concurrency() * 2, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "steward-check-dns-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        Connector connector = new Connector(resolver, lookups);
        TlsInspector inspector = new TlsInspector(validator);
        this.http = new HttpProbe(connector, inspector, settings.maxBodyBytes(), userAgent);
        this.tcp = new TcpProbe(connector);
        this.tls = new TlsProbe(connector, inspector);
        this.dns = new DnsProbe(connector);
    }

    public CheckResult probe(AssignedCheck check) {
        try {
            CheckDefinition definition = check.definition();
            if (definition instanceof CheckDefinition.Http h) {
                return http.run(check.id(), h);
            } else if (definition instanceof CheckDefinition.Tcp t) {
                return tcp.run(check.id(), t);
            } else if (definition instanceof CheckDefinition.Tls t) {
                return tls.run(check.id(), t);
            } else {
                return dns.run(check.id(), (CheckDefinition.Dns) definition);
            }
        } catch (RuntimeException e) {
            log.warn("Check [{}] failed inside the agent", check.id(), e);
            return new CheckResult(check.id(), Instant.now(), ProbeOutcome.DOWN, FailureReason.PROBE_ERROR,
                    "the agent could not run the probe: " + e, PhaseTimings.NONE, null, null, null, null, null);
        }
    }

    @Override
    public void close() {
        lookups.shutdownNow();
    }
}
