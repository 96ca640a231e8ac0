package io.steward.node.live;

import io.steward.node.socket.IncomingFrame;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.ThrottleMode;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.stream.typed.javadsl.ActorSource;

/** Builds the WebSocket flow of one browser connection around a {@link UiSession} actor. */
public final class UiSocket {
    private final ActorSystem<?> system;
    private final UiSession.Dependencies dependencies;
    private final Materializer materializer;
    private final AtomicLong connectionNumbers = new AtomicLong();

    public UiSocket(ActorSystem<?> system, UiSession.Dependencies dependencies) {
        this.system = system;
        this.dependencies = dependencies;
        this.materializer = Materializer.matFromSystem(system);
    }

    /** A fresh flow for an authenticated user; {@code sessionToken} is re-checked while the socket is open. */
    public Flow<Message, Message, NotUsed> connectionFlow(String username, String sessionToken) {
        LiveSettings settings = dependencies.settings();
        // Failing (not dropping) on overflow: a browser that cannot keep up reconnects to a fresh snapshot
        // instead of showing values that silently skipped updates.
        Pair<ActorRef<UiSession.Outgoing>, Source<UiSession.Outgoing, NotUsed>> output =
                ActorSource.<UiSession.Outgoing>actorRef(
                                outgoing -> outgoing instanceof UiSession.Close,
                                outgoing -> Optional.empty(),
                                settings.outputBuffer(),
                                OverflowStrategy.fail())
                        .preMaterialize(materializer);
        ActorRef<UiSession.Command> session = system.systemActorOf(
                UiSession.create(dependencies, username, sessionToken, output.first()),
                "ui-session-" + connectionNumbers.incrementAndGet(),
                Props.empty());

        Sink<Message, NotUsed> in = Flow.of(Message.class)
                .throttle(settings.maxClientMessagesPerSecond(), Duration.ofSeconds(1),
                        settings.maxClientMessagesPerSecond(), ThrottleMode.shaping())
                .mapAsync(1, message -> IncomingFrame.read(message, settings.maxClientFrameBytes(),
                        settings.frameTimeout(), materializer))
                .<UiSession.Command>map(UiSession.ClientFrame::new)
                .to(ActorSink.actorRef(session, new UiSession.ClientGone(), UiSession.ClientFailed::new));

        Source<Message, NotUsed> out = output.second()
                .map(outgoing -> (Message) TextMessage.create(((UiSession.Send) outgoing).json()));

        return Flow.fromSinkAndSourceCoupled(in, out);
    }
}
