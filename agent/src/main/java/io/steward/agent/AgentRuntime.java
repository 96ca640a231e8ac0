package io.steward.agent;

import io.steward.agent.link.AckLatencies;
import io.steward.agent.link.HubTrust;
import io.steward.agent.link.TrustedPins;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Threads and the HTTP client that agents run on. An agent started with {@link Agent#start(AgentSettings,
 * ReportSource)} gets a small one of its own; a simulation shares one among thousands of agents (no thread per
 * agent: collection, timers and link state machines are all short tasks on the shared scheduler).
 */
public final class AgentRuntime implements AutoCloseable {
    private final ScheduledThreadPoolExecutor scheduler;
    private final HttpClient httpClient;
    private final TrustedPins trustedPins;
    /** Only a simulation reads them (its progress line): a real agent keeps no samples (they took 1.6 MB). */
    private volatile AckLatencies ackLatencies;

    private AgentRuntime(int threads, boolean tls, HubTrust trust) {
        scheduler = new ScheduledThreadPoolExecutor(threads, daemonThreads("steward-agent"));
        scheduler.setRemoveOnCancelPolicy(true); // reconnect and ack timers are cancelled all the time
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        // The HTTP client's own work (WebSocket callbacks) on a small pool whose threads go away when idle.
        ThreadPoolExecutor httpExecutor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("steward-agent-http"));
        httpExecutor.allowCoreThreadTimeOut(true);
        HttpClient.Builder http = HttpClient.newBuilder().executor(httpExecutor);
        // A pinning runtime's links add the pins their cluster announces to the ones its TLS context trusts.
        trustedPins = tls && trust instanceof HubTrust.Pinned pinned ? new TrustedPins(pinned.pins()) : null;
        http.sslContext(!tls ? PlainOnly.CONTEXT
                : trustedPins != null ? ((HubTrust.Pinned) trust).sslContext(trustedPins) : trust.sslContext());
        httpClient = http.build();
    }

    /** A runtime for a hub whose certificate (if {@code wss://}) a public CA issued. */
    public static AgentRuntime create(int threads, URI hub) {
        return create(threads, hub, new HubTrust.PublicAuthorities());
    }

    /**
     * A runtime with {@code threads} scheduler threads (and as many for the HTTP client) for agents talking to
     * {@code hub}, accepting the certificates {@code trust} names. For a {@code ws://} hub the JDK's default TLS
     * setup (trust store parsing, some 150 classes and a few MB of a small agent's memory) is skipped: the client
     * gets a TLS context that trusts nothing, so it can never be talked into TLS with someone else either.
     */
    public static AgentRuntime create(int threads, URI hub, HubTrust trust) {
        return create(threads, List.of(hub), trust);
    }

    /**
     * As above for agents with several hubs: TLS as soon as any of them is {@code wss://} (a hub a welcome names later
     * is used only with a scheme the configured ones have, so this choice holds for it too).
     */
    public static AgentRuntime create(int threads, List<URI> hubs, HubTrust trust) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive");
        }
        AgentSettings.checkTrust(hubs, trust);
        return new AgentRuntime(threads, AgentSettings.anyTls(hubs), trust);
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    HttpClient httpClient() {
        return httpClient;
    }

    /** The pins this runtime's TLS context trusts, or null when it does not pin certificates. */
    TrustedPins trustedPins() {
        return trustedPins;
    }

    /** Starts timing send to ack for the agents started on this runtime from now on; returns their times. */
    public synchronized AckLatencies timeAcks() {
        if (ackLatencies == null) {
            ackLatencies = new AckLatencies(200_000);
        }
        return ackLatencies;
    }

    /** Send-to-ack times of every agent on this runtime, or null when nobody asked for them ({@link #timeAcks}). */
    AckLatencies ackLatencies() {
        return ackLatencies;
    }

    /** Stops the scheduler; close the agents first. */
    @Override
    public void close() {
        scheduler.shutdown();
    }

    /** A TLS context for plain-WebSocket runtimes: never used, and refuses every certificate if it ever were. */
    private static final class PlainOnly {
        static final SSLContext CONTEXT = create();

        private static SSLContext create() {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(new KeyManager[0], new TrustManager[] {new RefuseAll()}, null);
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot create a TLS context", e);
            }
        }

        private static final class RefuseAll implements X509TrustManager {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("this agent runtime is for ws:// only");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("this agent runtime is for ws:// only");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
