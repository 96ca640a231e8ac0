package io.steward.node.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The egress policy's decisions, on the shipped defaults and on explicit lists. */
class EgressPolicyTest {
    private static final List<String> DEFAULT_DENY =
            ConfigFactory.load().getStringList("steward.notify.egress.deny");

    private static EgressPolicy policy(List<String> allow, EgressPolicy.Resolver resolver) {
        return new EgressPolicy(DEFAULT_DENY, allow, resolver);
    }

    private static EgressPolicy.Resolver answering(String... addresses) {
        return host -> {
            InetAddress[] out = new InetAddress[addresses.length];
            for (int i = 0; i < addresses.length; i++) {
                out[i] = InetAddress.getByName(addresses[i]);
            }
            return out;
        };
    }

    @Test
    void metadataAndLinkLocalAddressesAreRefusedInEveryNotation() {
        EgressPolicy egress = policy(List.of(), InetAddress::getAllByName);
        for (String host : List.of("169.254.169.254", "[fe80::1]", "fe80::1", "::ffff:169.254.169.254",
                "[::ffff:a9fe:a9fe]", "2852039166", "fd00:ec2::254", "100.100.100.200", "0.0.0.0",
                "metadata.google.internal", "METADATA.google.internal.", "x.metadata.goog")) {
            assertThatThrownBy(() -> egress.resolve(host)).as(host).isInstanceOf(EgressPolicy.Refused.class);
        }
    }

    @Test
    void aHostNameIsJudgedByEveryAddressItResolvesTo() {
        EgressPolicy egress = policy(List.of(), answering("93.184.216.34", "169.254.169.254"));
        assertThatThrownBy(() -> egress.resolve("hooks.example.org"))
                .isInstanceOf(EgressPolicy.Refused.class)
                .hasMessageContaining("hooks.example.org resolves to 169.254.169.254");
        assertThatThrownBy(() -> egress.check("settings.url", "https://hooks.example.org/x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("settings.url: ");
    }

    @Test
    void aRebindingAnswerIsRefusedAtSendTimeEvenThoughTheSaveTimeAnswerPassed() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        EgressPolicy egress = policy(List.of(), host -> new InetAddress[] {InetAddress.getByName(
                lookups.getAndIncrement() == 0 ? "93.184.216.34" : "169.254.169.254")});
        assertThatCode(() -> egress.check("settings.url", "http://rebind.example/x")).doesNotThrowAnyException();
        assertThatThrownBy(() -> egress.resolve("rebind.example")).isInstanceOf(EgressPolicy.Refused.class);
    }

    @Test
    void ordinaryPrivateAndLoopbackReceiversPassAndAnUnresolvableNameIsLeftToTheSend() throws Exception {
        EgressPolicy egress = policy(List.of(), InetAddress::getAllByName);
        assertThat(egress.resolve("127.0.0.1")).hasSize(1);
        assertThat(egress.resolve("10.1.2.3")).hasSize(1);
        assertThat(egress.resolve("[::1]")).hasSize(1);
        EgressPolicy offline = policy(List.of(), host -> {
            throw new UnknownHostException(host);
        });
        assertThatCode(() -> offline.check("settings.host", "smtp.example.org")).doesNotThrowAnyException();
    }

    @Test
    void anAllowEntryLetsADeniedAddressOrNameThrough() throws Exception {
        EgressPolicy egress = policy(List.of("169.254.10.20", "metadata.google.internal"),
                answering("169.254.169.254"));
        assertThat(egress.resolve("169.254.10.20")[0].getHostAddress()).isEqualTo("169.254.10.20");
        assertThat(egress.resolve("metadata.google.internal")).hasSize(1);
        assertThatThrownBy(() -> egress.resolve("169.254.169.254")).isInstanceOf(EgressPolicy.Refused.class);
    }

    @Test
    void aBadListEntryNamesTheKey() {
        assertThatThrownBy(() -> new EgressPolicy(List.of("10.0.0.0/40"), List.of(), InetAddress::getAllByName))
                .hasMessageContaining("steward.notify.egress.deny").hasMessageContaining("prefix length");
    }
}
