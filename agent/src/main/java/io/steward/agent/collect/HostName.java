package io.steward.agent.collect;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** This machine's host name, without a DNS lookup where the kernel can tell us directly. */
public final class HostName {
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private HostName() {}

    public static String local() {
        try {
            String name = Files.readString(KERNEL_HOSTNAME, UTF_8).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException e) {
            // Not Linux: ask the JDK.
        }
        try {
            String name = InetAddress.getLocalHost().getHostName();
            if (name != null && !name.isBlank()) {
                return name;
            }
        } catch (IOException e) {
            // Fall through.
        }
        String environment = System.getenv("HOSTNAME");
        return environment == null || environment.isBlank() ? "unknown-host" : environment;
    }
}
