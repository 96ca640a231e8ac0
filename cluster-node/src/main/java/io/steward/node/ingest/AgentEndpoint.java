package io.steward.node.ingest;

import io.steward.core.protocol.WireFormat;
import io.steward.node.socket.IncomingFrame;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.stream.typed.javadsl.ActorSource;

/**
 * Builds the WebSocket flow of one agent connection: frames are read whole but never beyond the size limit, handed
 * to an {@link AgentConnection} actor through a back-pressured sink, and the actor's output is written back.
 */
public final class AgentEndpoint {
    /** Output buffer; the in-flight bound keeps acks well below it, so overflowing means a stuck client. */
    private static final int OUTPUT_BUFFER = 1024;
    /**
     * Pekko preallocates a buffer below this size whole (1,024 slots: 4 KB per connection, nearly always empty);
     * above it, the buffer starts at 128 slots and grows only while it holds more.
     */
    private static final Attributes GROWING_OUTPUT_BUFFER = ActorAttributes.maxFixedBufferSize(128);

    private final ActorSystem<?> system;
    private final AgentConnection.Dependencies dependencies;
    private final Materializer materializer;
    private final AtomicLong connectionNumbers = new AtomicLong();

    public AgentEndpoint(ActorSystem<?> system, AgentConnection.Dependencies dependencies) {
        this.system = system;
        this.dependencies = dependencies;
        this.materializer = Materializer.matFromSystem(system);
    }

    /** A fresh flow for one connection from {@code remote}. */
    public Flow<Message, Message, NotUsed> connectionFlow(String remote) {
        ActorRef<AgentConnection.Command> connection = system.systemActorOf(
                AgentConnection.create(dependencies, remote),
                "agent-connection-" + connectionNumbers.incrementAndGet(),
                Props.empty());

        Sink<Message, NotUsed> in = Flow.of(Message.class)
                .mapAsync(1, this::toFrame)
                .to(ActorSink.<IncomingFrame, AgentConnection.Command, AgentConnection.StreamAck>
                        actorRefWithBackpressure(
                                connection,
                                (ack, frame) -> new AgentConnection.FrameArrived(frame, ack),
                                AgentConnection.StreamStarted::new,
                                AgentConnection.StreamAck.INSTANCE,
                                new AgentConnection.StreamEnded(),
                                AgentConnection.StreamFailed::new));

        // The output stage is materialized with the socket's stream, not beforehand as a stream of its own: the
        // actor learns its address then (OutputLink), and each connection runs one interpreter less.
        Source<Message, NotUsed> out = ActorSource.<AgentConnection.Outgoing>actorRef(
                        outgoing -> outgoing instanceof AgentConnection.Close,
                        outgoing -> Optional.empty(),
                        OUTPUT_BUFFER,
                        OverflowStrategy.fail())
                .addAttributes(GROWING_OUTPUT_BUFFER)
                .mapMaterializedValue(output -> {
                    connection.tell(new AgentConnection.OutputReady(output));
                    return NotUsed.getInstance();
                })
                .map(outgoing -> (Message) TextMessage.create(
                        WireFormat.encode(((AgentConnection.Send) outgoing).message())));

        return Flow.fromSinkAndSourceCoupled(in, out);
    }

    private CompletionStage<IncomingFrame> toFrame(Message message) {
        return IncomingFrame.read(message, dependencies.settings().maxFrameBytes(),
                dependencies.settings().frameTimeout(), materializer);
    }
}
