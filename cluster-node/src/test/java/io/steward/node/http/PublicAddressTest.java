package io.steward.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.tls.CertificatePin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublicAddressTest {
    private static final CertificatePin PIN = CertificatePin.parse("AB".repeat(32));

    private static PublicAddress address(String publicUrl, boolean tls, Set<String> names) {
        return new PublicAddress(publicUrl, tls, () -> 8443, names, () -> Optional.of(PIN));
    }

    @Test
    void theNodesOwnNamesOnItsPortAreAllowedAndNothingElse() {
        PublicAddress address = address("", true, Set.of("10.0.0.5", "web-1", "fe80:0:0:0:0:0:0:1"));
        assertThat(address.allows("10.0.0.5:8443")).isTrue();
        assertThat(address.allows("WEB-1:8443")).isTrue();
        assertThat(address.allows("127.0.0.1:8443")).isTrue();
        assertThat(address.allows("localhost:8443")).isTrue();
        assertThat(address.allows("[::1]:8443")).isTrue();
        assertThat(address.allows("[fe80::1]:8443")).as("another spelling of the same address").isTrue();
        assertThat(address.allows("evil.example:8443")).isFalse();
        assertThat(address.allows("10.0.0.5:9999")).as("another port").isFalse();
        assertThat(address.allows("10.0.0.5")).as("the default port 443").isFalse();
        assertThat(address.allows("10.0.0.5:8443@evil")).isFalse();
        assertThat(address.allows("[127.0.0.1]:8443")).as("brackets hold an IPv6 address only").isFalse();
        assertThat(address.allows("")).isFalse();
    }

    /**
     * The Host header of a request nobody has authenticated yet is never looked up in DNS (it is read on the thread
     * that runs the node's actors; a slow resolver would stall them all). A JVM whose names resolve from a hosts file
     * of our own shows whether canonical() asked the resolver: those names resolve there to 10.9.8.x.
     */
    @Test
    void aHostHeaderThatLooksLikeAnAddressIsNeverLookedUp(@TempDir Path directory) throws Exception {
        Path hosts = directory.resolve("hosts");
        Files.writeString(hosts, "10.9.8.7 1.2.3.4.5\n10.9.8.6 999.0.0.1\n10.9.8.5 .:1\n");
        Path output = directory.resolve("out");
        Path errors = directory.resolve("err");
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.net.hosts.file=" + hosts, "-cp", System.getProperty("java.class.path"),
                HostHeaderProbe.class.getName(), "1.2.3.4.5", "999.0.0.1", ".:1", "[::1]", "0:0:0:0:0:0:0:1",
                "10.0.0.5").redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
        if (!probe.waitFor(60, TimeUnit.SECONDS)) {
            probe.destroyForcibly();
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        String said = printed + Files.readString(errors, StandardCharsets.UTF_8);
        assertThat(printed.lines().toList()).as(said).isEqualTo(List.of(
                // The JDK itself resolves them from the file (so a lookup would show), canonical() does not.
                "1.2.3.4.5 resolves to 10.9.8.7, canonical 1.2.3.4.5",
                "999.0.0.1 resolves to 10.9.8.6, canonical 999.0.0.1",
                // An IPv6 candidate the JDK does not take for a literal (it does not start with a hex digit or ':').
                ".:1 resolves to 10.9.8.5, canonical .:1",
                "[::1] resolves to 0:0:0:0:0:0:0:1, canonical 0:0:0:0:0:0:0:1",
                "0:0:0:0:0:0:0:1 resolves to 0:0:0:0:0:0:0:1, canonical 0:0:0:0:0:0:0:1",
                "10.0.0.5 resolves to 10.0.0.5, canonical 10.0.0.5"));
    }

    @Test
    void aCandidateUrlIsJudgedWithoutChangingTheOneInForce() {
        PublicAddress address = address("https://steward.example.com/", true, Set.of("0.0.0.0"));
        // Behind a proxy the admin reaches the node by its public name only: another URL would lock them out.
        assertThat(address.allowsWith("steward.example.com", "https://monitor.example.com/")).isFalse();
        assertThat(address.allowsWith("steward.example.com", "")).isFalse();
        assertThat(address.allowsWith("steward.example.com", "https://steward.example.com/other")).isTrue();
        assertThat(address.allowsWith("127.0.0.1:8443", "https://monitor.example.com/")).isTrue();
        assertThat(address.allows("steward.example.com")).as("the URL in force is unchanged").isTrue();
    }

    @Test
    void aPublicUrlIsAllowedWithItsOwnPort() {
        PublicAddress address = address("https://steward.example.com/", true, Set.of("0.0.0.0"));
        assertThat(address.allows("steward.example.com")).isTrue();
        assertThat(address.allows("steward.example.com:443")).isTrue();
        assertThat(address.allows("steward.example.com:8443")).isFalse();
        assertThat(address.allows("127.0.0.1:8443")).as("loopback still reaches the node directly").isTrue();
    }

    @Test
    void theAgentHubComesFromThePublicUrlOrAnAllowedHostOnly() {
        PublicAddress direct = address("", true, Set.of("10.0.0.5"));
        assertThat(direct.agentHub(Optional.of("10.0.0.5:8443"))).contains("wss://10.0.0.5:8443/ws/agent");
        assertThat(direct.agentHub(Optional.of("evil.example:8443"))).isEmpty();
        assertThat(direct.agentHub(Optional.empty())).isEmpty();
        assertThat(address("", false, Set.of("10.0.0.5")).agentHub(Optional.of("10.0.0.5:8443")))
                .contains("ws://10.0.0.5:8443/ws/agent");
        PublicAddress proxied = address("https://ops.example.com/steward/", false, Set.of());
        assertThat(proxied.agentHub(Optional.of("evil.example"))).contains("wss://ops.example.com/steward/ws/agent");
    }

    @Test
    void thePinIsHandedOutOnlyWhenTheNodeServesTls() {
        assertThat(address("", true, Set.of()).selfSignedPin()).contains(PIN);
        assertThat(address("", false, Set.of()).selfSignedPin()).isEmpty();
    }

    @Test
    void redirectsGoToThisNodeNeverToAMadeUpHost() {
        PublicAddress address = address("", true, Set.of("10.0.0.5"));
        assertThat(address.httpsBase(Optional.of("10.0.0.5:8080"))).isEqualTo("https://10.0.0.5:8443");
        assertThat(address.httpsBase(Optional.of("evil.example"))).isEqualTo("https://localhost:8443");
        assertThat(address("https://steward.example.com/", true, Set.of()).httpsBase(Optional.of("evil.example")))
                .isEqualTo("https://steward.example.com");
    }
}
