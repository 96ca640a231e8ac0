package io.steward.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void theConfiguredHubsComeFirstThenTheRememberedOnesNotAmongThem() {
        assertThat(Hubs.merge(List.of(B, A), List.of(A, C))).containsExactly(B, A, C);
        assertThat(Hubs.merge(List.of(A), List.of())).containsExactly(A);
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
        Hubs hubs = Hubs.load(List.of(A, B, C), null);
        assertThat(hubs.current()).isEqualTo(A);
        assertThat(hubs.next()).isEqualTo(B);
        assertThat(hubs.next()).isEqualTo(C);
        assertThat(hubs.next()).isEqualTo(A);
        assertThat(hubs.size()).isEqualTo(3);
    }

    @Test
    void aWelcomesHubsAreRememberedAndTriedAfterTheConfiguredOnes() throws Exception {
        StateDirectory state = StateDirectory.open(directory);
        Hubs hubs = Hubs.load(List.of(A), state);
        hubs.welcomed(List.of(A.toString(), C.toString()));
        assertThat(hubs.all()).containsExactly(A, C);
        assertThat(state.rememberedHubs()).containsExactly(A.toString(), C.toString());
        assertThat(hubs.current()).isEqualTo(A);
        assertThat(hubs.next()).isEqualTo(C);

        // The next start: the configured hub, then the remembered ones.
        Hubs restarted = Hubs.load(List.of(B), StateDirectory.open(directory));
        assertThat(restarted.all()).containsExactly(B, A, C);
    }

    @Test
    void aWelcomeNamingNoUsableHubChangesNothing() throws Exception {
        StateDirectory state = StateDirectory.open(directory);
        Hubs hubs = Hubs.load(List.of(A), state);
        hubs.welcomed(List.of(C.toString()));
        hubs.welcomed(List.of());
        hubs.welcomed(List.of("wss://10.0.0.9/ws/agent"));
        assertThat(hubs.all()).containsExactly(A, C);
        assertThat(state.rememberedHubs()).containsExactly(C.toString());
    }

    @Test
    void aNewListReplacesTheOldOneAndTheLinkMovesOnFromWhereItIs() throws Exception {
        Hubs hubs = Hubs.load(List.of(A), StateDirectory.open(directory));
        hubs.welcomed(List.of(B.toString(), C.toString()));
        assertThat(hubs.next()).isEqualTo(B);
        hubs.welcomed(List.of(B.toString()));
        assertThat(hubs.all()).containsExactly(A, B);
        assertThat(hubs.next()).isEqualTo(A);
        // The hub connected to is no longer named: the first is next.
        hubs.welcomed(List.of(C.toString()));
        hubs.next();
        hubs.welcomed(List.of(B.toString()));
        assertThat(hubs.current()).isEqualTo(C);
        assertThat(hubs.next()).isEqualTo(A);
    }

    @Test
    void withoutAStateDirectoryWelcomesAreNotFollowed() {
        Hubs hubs = Hubs.load(List.of(A), null);
        hubs.welcomed(List.of(B.toString()));
        assertThat(hubs.all()).containsExactly(A);
    }

    @Test
    void anUnreadableHubsFileIsIgnored() throws Exception {
        Files.write(directory.resolve(StateDirectory.HUBS), new byte[(int) StateDirectory.MAXIMUM_HUBS_BYTES + 1]);
        assertThat(Hubs.load(List.of(A), StateDirectory.open(directory)).all()).containsExactly(A);
        Files.writeString(directory.resolve(StateDirectory.HUBS), "garbage\n" + B + "\n");
        assertThat(Hubs.load(List.of(A), StateDirectory.open(directory)).all()).containsExactly(A, B);
    }
}
