package io.steward.node.socket;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * One WebSocket message as a connection actor sees it: whole text within the size limit, or only the size of an
 * oversize one, or the fact that a binary message came. Shared by the agent and the browser sockets.
 */
public sealed interface IncomingFrame extends org.apache.pekko.actor.NoSerializationVerificationNeeded {

    record Text(String text) implements IncomingFrame {}

    record Oversize(long size) implements IncomingFrame {}

    record Binary() implements IncomingFrame {}

    /**
     * Reads a message whole if it fits {@code limit} characters; otherwise drains it (so the connection stays usable)
     * and keeps only its size. A message that does not finish streaming within {@code timeout} fails the stage.
     */
    static CompletionStage<IncomingFrame> read(Message message, long limit, Duration timeout, Materializer materializer) {
        if (message.isText()) {
            TextMessage text = message.asTextMessage();
            if (text.isStrict()) {
                String strict = text.getStrictText();
                return CompletableFuture.completedFuture(
                        strict.length() > limit ? new Oversize(strict.length()) : new Text(strict));
            }
            return text.getStreamedText()
                    .completionTimeout(timeout)
                    .runFold(new BoundedText(limit), BoundedText::append, materializer)
                    .thenApply(BoundedText::toFrame);
        }
        return message.asBinaryMessage().getStreamedData()
                .completionTimeout(timeout)
                .runWith(Sink.ignore(), materializer)
                .thenApply(done -> new Binary());
    }

    /** Accumulates a fragmented text message up to a limit, then only counts. */
    final class BoundedText {
        private final long limit;
        private final StringBuilder text = new StringBuilder();
        private long size;

        BoundedText(long limit) {
            this.limit = limit;
        }

        BoundedText append(String part) {
            size += part.length();
            if (size <= limit) {
                text.append(part);
            } else if (text.length() > 0) {
                text.setLength(0);
                text.trimToSize();
            }
            return this;
        }

        IncomingFrame toFrame() {
            return size > limit ? new Oversize(size) : new Text(text.toString());
        }
    }
}
