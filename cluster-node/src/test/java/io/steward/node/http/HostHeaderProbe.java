package io.steward.node.http;

import java.net.InetAddress;

/**
 * Run in a JVM of its own with {@code -Djdk.net.hosts.file=FILE}, whose names resolve only from that file: prints what
 * the JDK resolves each argument to, then what {@link PublicAddress#canonical} makes of it — the same when it looked
 * the name up.
 */
public final class HostHeaderProbe {
    private HostHeaderProbe() {}

    public static void main(String[] args) throws Exception {
        for (String host : args) {
            String resolved;
            try {
                resolved = InetAddress.getByName(host).getHostAddress();
            } catch (java.net.UnknownHostException e) {
                resolved = "unresolved";
            }
            System.out.println(host + " resolves to " + resolved + ", canonical " + PublicAddress.canonical(host));
        }
    }
}
