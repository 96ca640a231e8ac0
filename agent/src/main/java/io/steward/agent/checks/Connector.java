package io.steward.agent.checks;

import io.steward.core.checks.FailureReason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The phases every probe shares: resolving a name within the deadline, and connecting, each timed and classified. */
final class Connector {
    private final Resolver resolver;
    private final ExecutorService lookups;

    /** @param lookups runs resolutions, so a resolver that hangs costs a thread but never the attempt's deadline */
    Connector(Resolver resolver, ExecutorService lookups) {
        this.resolver = resolver;
        this.lookups = lookups;
    }

    List<InetAddress> resolve(String host, Deadline deadline, Phases phases) throws ProbeFailure {
        long start = System.nanoTime();
        Future<List<InetAddress>> lookup;
        try {
            lookup = lookups.submit(() -> resolver.resolve(host));
        } catch (RejectedExecutionException e) {
            throw new ProbeFailure(FailureReason.DNS, "too many name lookups pending on this agent");
        }
        try {
            List<InetAddress> addresses = lookup.get(deadline.remainingMillis("DNS answer"), TimeUnit.MILLISECONDS);
            if (addresses.isEmpty()) {
                throw new ProbeFailure(FailureReason.DNS, "no address for " + host);
            }
            return addresses;
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw new ProbeFailure(FailureReason.DNS, "no DNS answer for " + host + " in time");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new ProbeFailure(FailureReason.DNS, cause instanceof UnknownHostException
                    ? "unknown host " + host : "cannot resolve " + host + ": " + cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeFailure(FailureReason.PROBE_ERROR, "interrupted");
        } catch (ProbeFailure e) {
            throw e.reason() == FailureReason.TIMEOUT
                    ? new ProbeFailure(FailureReason.DNS, "no DNS answer for " + host + " in time") : e;
        } finally {
            phases.dns(start);
        }
    }

    /** A connected socket; the caller closes it. */
    Socket connect(InetAddress address, int port, Deadline deadline, Phases phases) throws ProbeFailure {
        Socket socket = new Socket();
        long start = System.nanoTime();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(address, port), deadline.remainingMillis("connection"));
            return socket;
        } catch (ProbeFailure e) {
            closeQuietly(socket);
            throw e;
        } catch (SocketTimeoutException e) {
            closeQuietly(socket);
            throw deadline.expired("connection to " + address.getHostAddress() + " port " + port);
        } catch (ConnectException e) {
            closeQuietly(socket);
            // The JDK throws ConnectException for a refusal (RST) but also for an unreachable network: only the
            // refusal says so in its message.
            String message = String.valueOf(e.getMessage());
            if (message.contains("refused")) {
                throw new ProbeFailure(FailureReason.CONNECT_REFUSED, "connection refused by "
                        + address.getHostAddress() + " port " + port);
            }
            throw new ProbeFailure(FailureReason.CONNECT_FAILED, "cannot connect to " + address.getHostAddress()
                    + " port " + port + ": " + message);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new ProbeFailure(FailureReason.CONNECT_FAILED, "cannot connect to " + address.getHostAddress()
                    + " port " + port + ": " + e.getMessage());
        } finally {
            phases.connect(start);
        }
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing to do about a socket that will not close.
        }
    }
}
