package io.steward.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A loopback port free right now, for a server a test starts (a node, PostgreSQL, sshd), often again on the same port
 * after a restart. Taken below the kernel's ephemeral range ({@code net.ipv4.ip_local_port_range}): a port from that
 * range may meanwhile become the source port of any outgoing connection (an agent's, remoting's, JDBC's), and the
 * server starting or restarting on it then finds it in use (ClusterFailoverIT failed so once: "Bind failed … Address
 * already in use"). Shared by every module's tests through this module's test-jar.
 */
public final class FreePort {
    private static final int FLOOR = 10_000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePort() {}

    public static synchronized int find() {
        int ephemeralLow = ephemeralLow();
        if (ephemeralLow - FLOOR < 1_000) {
            return anyFree(); // an unusual range: nothing below it to choose from
        }
        for (int tries = 0; tries < 500; tries++) {
            int port = FLOOR + ThreadLocalRandom.current().nextInt(ephemeralLow - FLOOR);
            if (!HANDED_OUT.contains(port) && bindable(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + FLOOR + " and " + ephemeralLow);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The low end of the kernel's ephemeral range. Read by line: a sysctl file reports size 0 and answers a read at an
     * offset past 0 with nothing, so {@code Files.readString} got only its first byte ("3"), and every port came from
     * {@link #anyFree()}, inside the range (DurabilityIT failed so: "Bind failed … Address already in use").
     */
    static int ephemeralLow() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
            return Integer.parseInt(lines.get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768; // Linux's default
        }
    }

    private static int anyFree() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
