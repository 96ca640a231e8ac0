package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Receives one connection attempt's frames on the HTTP client's threads: joins fragments into whole texts and hands
 * every event, tagged with the attempt, to the link's executor. Changes nothing itself.
 */
final class FrameListener implements WebSocket.Listener {
    /** Node frames are small (welcome, ack, error, commands); anything bigger is not the protocol. */
    static final int MAXIMUM_INCOMING_CHARS = 1 << 20;

    /** What the link does with a connection's events; called on the link's executor. */
    interface Events {
        void opened(long attempt, WebSocket webSocket);

        void received(long attempt, String frame);

        void lost(long attempt, String reason);
    }

    private final long attempt;
    private final Executor serial;
    private final Events events;
    private final StringBuilder text = new StringBuilder();

    FrameListener(long attempt, Executor serial, Events events) {
        this.attempt = attempt;
        this.serial = requireNonNull(serial, "serial is null");
        this.events = requireNonNull(events, "events is null");
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
        serial.execute(() -> events.opened(attempt, webSocket));
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (text.length() > MAXIMUM_INCOMING_CHARS) {
            text.setLength(0);
            serial.execute(() -> events.lost(attempt, "the node sent a frame over " + MAXIMUM_INCOMING_CHARS
                    + " characters"));
            return null;
        }
        if (last) {
            String frame = text.toString();
            text.setLength(0);
            serial.execute(() -> events.received(attempt, frame));
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1); // not part of the protocol: ignored
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        serial.execute(() -> events.lost(attempt, "closed by the node (" + statusCode
                + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")"));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        serial.execute(() -> events.lost(attempt, "connection failed: " + Connection.describe(error)));
    }
}
