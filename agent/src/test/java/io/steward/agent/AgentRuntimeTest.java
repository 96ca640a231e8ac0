package io.steward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class AgentRuntimeTest {

    @Test
    void aRealAgentsRuntimeKeepsNoAckTimesUntilASimulationAsksForThem() {
        try (AgentRuntime runtime = AgentRuntime.create(1, URI.create("ws://127.0.0.1:1/ws/agent"))) {
            assertThat(runtime.ackLatencies()).as("nobody reads them in a real agent").isNull();

            var times = runtime.timeAcks();

            assertThat(times).isNotNull();
            assertThat(runtime.timeAcks()).isSameAs(times);
            assertThat(runtime.ackLatencies()).isSameAs(times);
        }
    }
}
