package io.steward.node.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.core.protocol.NodeMessage;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OutputLinkTest {
    private static ActorTestKit kit;

    @BeforeAll
    static void start() {
        kit = ActorTestKit.create("output-link");
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void framesToldBeforeTheOutputIsKnownGoOutFirstAndInOrder() {
        OutputLink link = new OutputLink();
        AgentConnection.Send first = new AgentConnection.Send(new NodeMessage.Ack(1));
        AgentConnection.Send second = new AgentConnection.Send(new NodeMessage.Ack(2));
        AgentConnection.Send third = new AgentConnection.Send(new NodeMessage.Ack(3));
        link.tell(first);
        link.tell(second);
        TestProbe<AgentConnection.Outgoing> output = kit.createTestProbe();

        link.bind(output.getRef());
        link.tell(third);

        assertThat(output.receiveSeveralMessages(3)).containsExactly(first, second, third);
    }

    @Test
    void aSecondBindChangesNothing() {
        OutputLink link = new OutputLink();
        TestProbe<AgentConnection.Outgoing> output = kit.createTestProbe();
        TestProbe<AgentConnection.Outgoing> other = kit.createTestProbe();
        link.bind(output.getRef());
        link.bind(other.getRef());

        link.tell(new AgentConnection.Close());

        output.expectMessage(new AgentConnection.Close());
        other.expectNoMessage(Duration.ofMillis(100));
    }
}
