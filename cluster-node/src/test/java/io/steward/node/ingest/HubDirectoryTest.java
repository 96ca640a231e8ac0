package io.steward.node.ingest;

import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.steward.core.tls.CertificatePin;
import io.steward.node.ClusterTransport;
import io.steward.node.ingest.HubDirectory.AgentHub;
import io.steward.node.testing.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub directory on two real cluster members over loopback: what a welcome names while a member's announcement is
 * missing, and each member's certificate pin carried to the other.
 */
class HubDirectoryTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AgentHub FIRST = new AgentHub("wss://10.0.0.1:8443/ws/agent",
            Optional.of(new CertificatePin("A".repeat(64))));
    private static final AgentHub SECOND = new AgentHub("wss://10.0.0.2:8443/ws/agent", Optional.empty());

    @TempDir
    Path firstDir;
    @TempDir
    Path secondDir;

    private static ActorSystem<Void> member(Path dataDir) {
        Config config = ClusterTransport.apply(TestNodes.h2(dataDir)
                .withValue("steward.cluster.insecure-transport", ConfigValueFactory.fromAnyRef(true)));
        return ActorSystem.create(Behaviors.empty(), config.getString("steward.cluster.name"), config);
    }

    @Test
    void aWelcomeNamesNothingUntilEveryUpMemberHasAnnouncedItsHubThenEveryHubWithItsPin() {
        ActorSystem<Void> first = member(firstDir);
        ActorSystem<Void> second = member(secondDir);
        try {
            Cluster.get(first).manager().tell(Join.create(Cluster.get(first).selfMember().address()));
            HubDirectory firstDirectory = HubDirectory.start(first, Optional.of(FIRST));
            eventually(WAIT, () -> assertThat(firstDirectory.welcomeHubs()).containsExactly(FIRST));

            // The second member is up but has not announced its hub yet (as right after a node starts): a welcome
            // naming only the first would make agents forget the second, so it names nothing.
            Cluster.get(second).manager().tell(Join.create(Cluster.get(first).selfMember().address()));
            eventually(WAIT, () -> assertThat(Cluster.get(first).state().getMembers())
                    .filteredOn(member -> member.status() == MemberStatus.up()).hasSize(2));
            assertThat(firstDirectory.welcomeHubs()).isEmpty();
            assertThat(firstDirectory.otherHubs()).isEmpty();

            HubDirectory secondDirectory = HubDirectory.start(second, Optional.of(SECOND));
            eventually(WAIT, () -> {
                assertThat(firstDirectory.welcomeHubs()).containsExactly(FIRST, SECOND);
                assertThat(secondDirectory.welcomeHubs()).containsExactly(SECOND, FIRST);
            });
            assertThat(secondDirectory.otherHubs()).containsExactly(FIRST); // with its pin, from across the cluster

            // A member gone: named no more.
            Cluster.get(second).manager().tell(org.apache.pekko.cluster.typed.Leave.create(
                    Cluster.get(second).selfMember().address()));
            eventually(WAIT, () -> assertThat(firstDirectory.welcomeHubs()).containsExactly(FIRST));
        } finally {
            second.terminate();
            first.terminate();
        }
    }

    @Test
    void aMemberWithoutAnEndpointCountsAsAnnouncedAndANodeWithoutOneNamesNothing() {
        HubDirectory.Announcement none = new HubDirectory.Announcement("pekko://steward@10.0.0.3:25520",
                Optional.empty());
        HubDirectory.Announcement second = new HubDirectory.Announcement("pekko://steward@10.0.0.2:25520",
                Optional.of(SECOND));
        assertThat(HubDirectory.welcomeHubs(Optional.of(FIRST), List.of(none, second),
                java.util.Set.of(none.member(), second.member()))).containsExactly(FIRST, SECOND);
        assertThat(HubDirectory.welcomeHubs(Optional.of(FIRST), List.of(second),
                java.util.Set.of(none.member(), second.member()))).isEmpty();
        assertThat(HubDirectory.welcomeHubs(Optional.empty(), List.of(second), java.util.Set.of(second.member())))
                .isEmpty();
    }

    @Test
    void anAnnouncementNameCarriesTheEndpointAndThePin() {
        assertThat(HubDirectory.parse(HubDirectory.name(Optional.of(FIRST)))).contains(FIRST);
        assertThat(HubDirectory.parse(HubDirectory.name(Optional.of(SECOND)))).contains(SECOND);
        assertThat(HubDirectory.parse(HubDirectory.name(Optional.empty()))).isEmpty();
        assertThat(HubDirectory.parse("agent-hub-wss%3A%2F%2Fh%2Fws%2Fagent~not-a-pin")).isEmpty();
    }
}
