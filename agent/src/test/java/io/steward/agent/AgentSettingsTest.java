package io.steward.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AgentSettingsTest {

    @Test
    void theBuilderOnlyNeedsTheHub() {
        AgentSettings settings = AgentSettings.builder().hub(URI.create("ws://127.0.0.1:8080/ws/agent")).build();
        assertThat(settings.interval()).isEqualTo(AgentSettings.DEFAULT_INTERVAL).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.localInterval()).isEmpty();
        assertThat(settings.stateDirectory()).isEqualTo(Path.of("steward-agent-state"));
        assertThat(settings.spoolMaxAge()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.spoolMaxBytes()).isEqualTo(100L << 20);
        assertThat(settings.reconnectBackoff().minimum()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.reconnectBackoff().maximum()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.window()).isEqualTo(128);
        assertThat(settings.token()).isNull();
        assertThat(settings.spoolDirectory()).isEqualTo(Path.of("steward-agent-state", "spool"));
    }

    @Test
    void anIntervalSetInTheBuilderIsLocalAndSurvivesToBuilder() {
        AgentSettings.Builder builder = AgentSettings.builder().hub(URI.create("ws://h/ws/agent"));
        AgentSettings local = builder.interval(Duration.ofSeconds(5)).build();
        // Set to the default value is still set: the agent keeps it whatever the node suggests.
        assertThat(local.localInterval()).contains(Duration.ofSeconds(5));
        assertThat(local.toBuilder().build()).isEqualTo(local);
        AgentSettings cleared = local.toBuilder().noLocalInterval().build();
        assertThat(cleared.localInterval()).isEmpty();
        assertThat(cleared.interval()).isEqualTo(AgentSettings.DEFAULT_INTERVAL);
        assertThat(cleared.toBuilder().build().localInterval()).isEmpty();
        assertThat(cleared.toString()).contains("interval=5s (not set locally)");
    }

    @Test
    void invalidValuesAreRefusedWithTheSettingsName() {
        AgentSettings.Builder builder = AgentSettings.builder().hub(URI.create("ws://h/ws/agent"));
        assertThatThrownBy(() -> builder.interval(Duration.ofMillis(500)).build())
                .hasMessage("interval must be between 1s and 60s, got 500ms");
        assertThatThrownBy(() -> AgentSettings.builder().build()).hasMessageStartingWith("hub is required");
        assertThatThrownBy(() -> AgentSettings.builder().hub(URI.create("tcp://h:1")).build())
                .hasMessageStartingWith("hub must be a ws:// or wss:// address");
        assertThatThrownBy(() -> AgentSettings.builder().hub(URI.create("ws://h/ws/agent")).window(0).build())
                .hasMessageStartingWith("window must be between 1");
    }

    @Test
    void severalHubsInTheirOrderEachOnceTheFirstBeingTheHub() {
        URI first = URI.create("ws://10.0.0.5:8080/ws/agent");
        URI second = URI.create("wss://node-2.example.com/ws/agent");
        AgentSettings settings = AgentSettings.builder().hubs(List.of(first, second, first)).build();
        assertThat(settings.hubs()).containsExactly(first, second);
        assertThat(settings.hub()).isEqualTo(first);
        assertThat(settings.rememberHubs()).isTrue();
        AgentSettings copy = settings.toBuilder().rememberHubs(false).build();
        assertThat(copy.hubs()).containsExactly(first, second);
        assertThat(copy.rememberHubs()).isFalse();
        assertThat(AgentSettings.builder().hubs(List.of(second)).hub(first).build().hubs()).containsExactly(first);
        assertThat(settings.toString()).contains("hubs=[" + first + ", " + second + "]");
    }

    @Test
    void aHubListIsCheckedEntryByEntry() {
        assertThatThrownBy(() -> AgentSettings.builder().hubs(List.of()).build())
                .hasMessageStartingWith("hub is required");
        assertThatThrownBy(() -> AgentSettings.builder()
                .hubs(List.of(URI.create("ws://h/ws/agent"), URI.create("http://h2/ws/agent"))).build())
                .hasMessageStartingWith("hub must be a ws:// or wss:// address").hasMessageEndingWith("http://h2/ws/agent");
        List<URI> seventeen = IntStream.rangeClosed(1, 17)
                .mapToObj(node -> URI.create("ws://10.0.0." + node + "/ws/agent")).toList();
        assertThat(AgentSettings.builder().hubs(seventeen.subList(0, 16)).build().hubs()).hasSize(16);
        assertThatThrownBy(() -> AgentSettings.builder().hubs(seventeen).build())
                .hasMessage("hub lists 17 hubs, at most 16");
    }

    @Test
    void reportsListTenTopProcessesByDefaultAndBetweenOneAndAHundred() {
        AgentSettings.Builder builder = AgentSettings.builder().hub(URI.create("ws://h/ws/agent"));
        assertThat(builder.build().topProcesses()).isEqualTo(AgentSettings.DEFAULT_TOP_PROCESSES).isEqualTo(10);
        assertThat(builder.topProcesses(100).build().topProcesses()).isEqualTo(100);
        assertThat(builder.topProcesses(100).build().toBuilder().build().topProcesses()).isEqualTo(100);
        assertThatThrownBy(() -> builder.topProcesses(0).build())
                .hasMessage("top-processes must be between 1 and 100, got 0");
        assertThatThrownBy(() -> builder.topProcesses(101).build())
                .hasMessage("top-processes must be between 1 and 100, got 101");
    }

    @Test
    void durationsAndSizesPrintAsTheyAreWritten() {
        assertThat(AgentSettings.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(AgentSettings.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(AgentSettings.format(Duration.ofHours(24))).isEqualTo("1d");
        assertThat(AgentSettings.formatBytes(100L << 20)).isEqualTo("100MB");
        assertThat(AgentSettings.formatBytes(1000)).isEqualTo("1000B");
    }
}
