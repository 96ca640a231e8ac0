package io.steward.node.testing;

import io.steward.core.protocol.NodeMessage;
import io.steward.core.protocol.WireFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A bare WebSocket to {@code /ws/agent} that sends whatever a test wants, well-formed or not. */
public final class RawAgentSocket implements AutoCloseable {
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    public RawAgentSocket(int port) {
        this(HttpClient.newHttpClient(), port);
    }

    /** Through {@code http}: a test that opens hundreds shares one client (each has threads of its own). */
    public RawAgentSocket(HttpClient http, int port) {
        StringBuilder partial = new StringBuilder();
        this.socket = http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/agent"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            received.add(partial.toString());
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        closed.complete(-1);
                    }
                })
                .join();
    }

    public RawAgentSocket send(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    /** Sends one message as several continuation frames. */
    public RawAgentSocket sendFragmented(String text, int parts) {
        int size = (text.length() + parts - 1) / parts;
        for (int start = 0; start < text.length(); start += size) {
            int end = Math.min(text.length(), start + size);
            socket.sendText(text.substring(start, end), end == text.length()).join();
        }
        return this;
    }

    public RawAgentSocket sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
        return this;
    }

    /** The check assignments the node sent, which {@link #next} passes over. */
    public final java.util.List<NodeMessage.ChecksAssign> assignments =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * The next frame from the node, decoded, passing over check assignments (the node sends one after every welcome,
     * at a moment of its choosing); fails the test if none arrives in time.
     */
    public NodeMessage next() {
        try {
            while (true) {
                String text = received.poll(10, TimeUnit.SECONDS);
                if (text == null) {
                    throw new AssertionError("no frame from the node within 10 s");
                }
                NodeMessage message = WireFormat.decodeNodeMessage(text);
                if (message instanceof NodeMessage.ChecksAssign assign) {
                    assignments.add(assign);
                    continue;
                }
                return message;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (WireFormat.MalformedMessageException e) {
            throw new AssertionError("node sent a malformed frame", e);
        }
    }

    /** Waits until the node closes the connection. */
    public boolean awaitClosed(Duration timeout) {
        try {
            closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
