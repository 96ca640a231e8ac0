package io.steward.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.tls.CertificatePin;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubsTest {
    private static final URI A = URI.create("ws://10.0.0.1:8080/ws/agent");
    private static final URI B = URI.create("ws://10.0.0.2:8080/ws/agent");
    private static final URI C = URI.create("ws://10.0.0.3:8080/ws/agent");

    @TempDir
    Path directory;

    private static Hubs load(List<URI> configured, StateDirectory state) {
        return Hubs.load(configured, state, "machine-1", null);
    }

    @Test
    void theFirstConfiguredHubComesFirstThenEveryOtherHubOnce() {
        assertThat(HubOrder.rotation(List.of(B, A), List.of(A, C), "m")).startsWith(B).hasSize(3)
                .containsExactlyInAnyOrder(A, B, C);
        assertThat(HubOrder.rotation(List.of(A), List.of(), "m")).containsExactly(A);
    }

    @Test
    void onlyHubAddressesWithAConfiguredSchemeAreUsable() {
        List<String> named = new ArrayList<>(List.of("ws://10.0.0.3:8080/ws/agent", "wss://10.0.0.4/ws/agent",
                "http://10.0.0.5/ws/agent", "ws:///ws/agent", "not an address", " ws://10.0.0.2:8080/ws/agent ",
                "ws://10.0.0.3:8080/ws/agent"));
        named.add(null);
        // Never from wss:// down to plain ws://, nor to TLS a plain agent is not set up for.
        assertThat(Hubs.usable(named, Set.of("ws"))).containsExactly(C, B);
        assertThat(Hubs.usable(named, Set.of("wss"))).containsExactly(URI.create("wss://10.0.0.4/ws/agent"));
        List<String> many = IntStream.range(0, 100).mapToObj(n -> "ws://h" + n + "/ws/agent").toList();
        assertThat(Hubs.usable(many, Set.of("ws"))).hasSize(StateDirectory.MAXIMUM_REMEMBERED_HUBS);
    }

    @Test
    void eachFailureMovesToTheNextHubRoundAndRound() {
        Hubs hubs = load(List.of(A, B, C), null);
        assertThat(hubs.current()).isEqualTo(A);
        List<URI> round = List.of(hubs.next(), hubs.next(), hubs.next());
        assertThat(round).containsExactlyInAnyOrder(B, C, A).endsWith(A);
        assertThat(List.of(hubs.next(), hubs.next(), hubs.next())).isEqualTo(round);
        assertThat(hubs.size()).isEqualTo(3);
    }

    @Test
    void aWelcomesHubsAreRememberedAndTriedAfterTheConfiguredOnes() throws Exception {
        StateDirectory state = StateDirectory.open(directory);
        Hubs hubs = load(List.of(A), state);
        hubs.welcomed(List.of(A.toString(), C.toString()), Map.of());
        assertThat(hubs.all()).containsExactly(A, C);
        assertThat(state.rememberedHubs()).containsExactly(A.toString(), C.toString());
        assertThat(hubs.current()).isEqualTo(A);
        assertThat(hubs.next()).isEqualTo(C);

        // The next start: the configured hub, then the remembered ones.
        Hubs restarted = load(List.of(B), StateDirectory.open(directory));
        assertThat(restarted.all()).startsWith(B).containsExactlyInAnyOrder(B, A, C);
    }

    @Test
    void aWelcomeNamingNoUsableHubChangesNothing() throws Exception {
        StateDirectory state = StateDirectory.open(directory);
        Hubs hubs = load(List.of(A), state);
        hubs.welcomed(List.of(C.toString()), Map.of());
        hubs.welcomed(List.of(), Map.of());
        hubs.welcomed(List.of("wss://10.0.0.9/ws/agent"), Map.of());
        assertThat(hubs.all()).containsExactly(A, C);
        assertThat(state.rememberedHubs()).containsExactly(C.toString());
    }

    @Test
    void aNewListReplacesTheOldOneAndTheLinkMovesOnFromWhereItIs() throws Exception {
        Hubs hubs = load(List.of(A), StateDirectory.open(directory));
        hubs.welcomed(List.of(B.toString(), C.toString()), Map.of());
        URI second = hubs.next();
        assertThat(second).isIn(B, C);
        hubs.welcomed(List.of(second.toString()), Map.of());
        assertThat(hubs.all()).containsExactly(A, second);
        assertThat(hubs.next()).isEqualTo(A);
        // The hub connected to is no longer named: the first is next.
        URI other = second.equals(B) ? C : B;
        hubs.welcomed(List.of(other.toString()), Map.of());
        hubs.next();
        hubs.welcomed(List.of(second.toString()), Map.of());
        assertThat(hubs.current()).isEqualTo(other);
        assertThat(hubs.next()).isEqualTo(A);
    }

    @Test
    void withoutAStateDirectoryWelcomesAreNotFollowed() {
        Hubs hubs = load(List.of(A), null);
        hubs.welcomed(List.of(B.toString()), Map.of());
        assertThat(hubs.all()).containsExactly(A);
    }

    @Test
    void anUnreadableHubsFileIsIgnored() throws Exception {
        Files.write(directory.resolve(StateDirectory.HUBS), new byte[(int) StateDirectory.MAXIMUM_HUBS_BYTES + 1]);
        assertThat(load(List.of(A), StateDirectory.open(directory)).all()).containsExactly(A);
        Files.writeString(directory.resolve(StateDirectory.HUBS), "garbage\n" + B + "\n");
        assertThat(load(List.of(A), StateDirectory.open(directory)).all()).containsExactly(A, B);
    }

    @Test
    void whenAHubDiesItsAgentsSpreadOverTheSurvivorsEachInAStableOrderOfItsOwn() {
        URI d = URI.create("ws://10.0.0.4:8080/ws/agent");
        List<URI> configured = List.of(A, B, C, d);
        Map<URI, Integer> afterFirst = new HashMap<>();
        Map<URI, Integer> afterB = new HashMap<>();
        int agents = 600;
        for (int agent = 0; agent < agents; agent++) {
            String machineId = "machine-" + agent;
            Hubs hubs = Hubs.load(configured, null, machineId, null);
            assertThat(hubs.current()).isEqualTo(A); // everyone starts where they were told
            afterFirst.merge(hubs.next(), 1, Integer::sum);
            while (!hubs.current().equals(B)) {
                hubs.next();
            }
            afterB.merge(hubs.next(), 1, Integer::sum);
            // Stable: the same machine gets the same order on every start.
            assertThat(Hubs.load(configured, null, machineId, null).all()).isEqualTo(hubs.all());
        }
        // A third each (200), give or take what chance does: never all on one survivor.
        assertThat(afterFirst).containsOnlyKeys(B, C, d)
                .allSatisfy((hub, count) -> assertThat(count).isBetween(150, 250));
        assertThat(afterB).containsOnlyKeys(A, C, d)
                .allSatisfy((hub, count) -> assertThat(count).isBetween(150, 250));
    }

    @Test
    void aNewlyNamedHubDoesNotReorderTheOthers() {
        URI d = URI.create("ws://10.0.0.4:8080/ws/agent");
        for (int agent = 0; agent < 50; agent++) {
            List<URI> before = HubOrder.rotation(List.of(A, B, C), List.of(), "machine-" + agent);
            List<URI> after = new ArrayList<>(HubOrder.rotation(List.of(A, B, C), List.of(d), "machine-" + agent));
            after.remove(d);
            assertThat(after).isEqualTo(before);
        }
    }

    private static final URI SECURE_A = URI.create("wss://10.0.0.1:8443/ws/agent");
    private static final URI SECURE_B = URI.create("wss://10.0.0.2:8443/ws/agent");
    private static final URI SECURE_C = URI.create("wss://10.0.0.3:8443/ws/agent");
    private static final CertificatePin PIN_A = new CertificatePin("A".repeat(64));
    private static final CertificatePin PIN_B = new CertificatePin("B".repeat(64));
    private static final CertificatePin PIN_C = new CertificatePin("C".repeat(64));

    @Test
    void aPinningAgentTrustsAndRemembersThePinsAWelcomeOverAVerifiedConnectionAnnounces() throws Exception {
        StateDirectory state = StateDirectory.open(directory);
        TrustedPins pins = new TrustedPins(List.of(PIN_A));
        Hubs hubs = Hubs.load(List.of(SECURE_A), state, "machine-1", pins);
        hubs.welcomed(List.of(SECURE_A.toString(), SECURE_B.toString(), SECURE_C.toString()), Map.of(
                SECURE_A.toString(), PIN_A.toString(), SECURE_B.toString(), PIN_B.toString(),
                // Announced for a hub not named, or not a pin at all: skipped.
                "wss://10.0.0.9/ws/agent", "D".repeat(64), SECURE_C.toString(), "not a pin"));
        assertThat(hubs.all()).containsExactlyInAnyOrder(SECURE_A, SECURE_B, SECURE_C);
        assertThat(pins.learned()).containsExactly(PIN_B);
        assertThat(state.rememberedHubPins()).containsExactlyInAnyOrder(PIN_A.toString(), PIN_B.toString());

        // After a restart the learned pin is trusted again before any welcome: a remembered hub is usable at once.
        TrustedPins restarted = new TrustedPins(List.of(PIN_A));
        Hubs.load(List.of(SECURE_A), StateDirectory.open(directory), "machine-1", restarted);
        assertThat(restarted.learned()).containsExactly(PIN_B);

        // Node B's certificate replaced: its old pin is no longer trusted once a welcome announces the new one.
        hubs.welcomed(List.of(SECURE_A.toString(), SECURE_B.toString()), Map.of(SECURE_B.toString(), PIN_C.toString()));
        assertThat(pins.learned()).containsExactly(PIN_C);
    }

    @Test
    void anAgentWithATlsHubFollowsNoWelcomeThatCameOverPlainWebSocket() throws Exception {
        StateDirectory state = StateDirectory.open(directory);
        TrustedPins pins = new TrustedPins(List.of(PIN_A));
        // Its first hub is plain (the user's choice, written out); the welcome from there may come from anyone.
        Hubs hubs = Hubs.load(List.of(A, SECURE_A), state, "machine-1", pins);
        assertThat(hubs.current()).isEqualTo(A);
        hubs.welcomed(List.of(SECURE_C.toString(), C.toString()), Map.of(SECURE_C.toString(), PIN_C.toString()));
        assertThat(hubs.all()).containsExactlyInAnyOrder(A, SECURE_A);
        assertThat(pins.learned()).isEmpty();
        assertThat(state.rememberedHubs()).isEmpty();
        assertThat(state.rememberedHubPins()).isEmpty();

        // The same welcome over the TLS hub is followed.
        hubs.next();
        assertThat(hubs.current()).isEqualTo(SECURE_A);
        hubs.welcomed(List.of(SECURE_C.toString(), C.toString()), Map.of(SECURE_C.toString(), PIN_C.toString()));
        assertThat(hubs.all()).containsExactlyInAnyOrder(A, SECURE_A, SECURE_C, C);
        assertThat(pins.learned()).containsExactly(PIN_C);
    }

    @Test
    void anAgentThatDoesNotPinLearnsNoPins() throws Exception {
        StateDirectory state = StateDirectory.open(directory);
        Hubs hubs = Hubs.load(List.of(SECURE_A), state, "machine-1", null);
        hubs.welcomed(List.of(SECURE_B.toString()), Map.of(SECURE_B.toString(), PIN_B.toString()));
        assertThat(hubs.all()).containsExactly(SECURE_A, SECURE_B);
        assertThat(state.rememberedHubPins()).isEmpty();
    }
}
