package io.steward.node.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A browser-like client of {@code /ws/ui}: sends the session cookie of an {@link ApiClient} and an Origin. */
public final class LiveSocket implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    LiveSocket(HttpClient http, URI uri, String origin) {
        StringBuilder partial = new StringBuilder();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (origin != null) {
            builder.header("Origin", origin);
        }
        this.socket = builder.buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        received.add(MAPPER.readTree(partial.toString()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
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
        }).join();
    }

    public LiveSocket send(String json) {
        socket.sendText(json, true).join();
        return this;
    }

    /** The next message from the node of the given type, skipping others; fails if none arrives in time. */
    public JsonNode next(String type, Duration timeout) {
        return next(message -> type.equals(message.path("type").asText()), "a \"" + type + "\" message", timeout);
    }

    /** The next message matching {@code wanted}, skipping others; fails if none arrives in time. */
    public JsonNode next(Predicate<JsonNode> wanted, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode message = left <= 0 ? null : received.poll(left, TimeUnit.NANOSECONDS);
                if (message == null) {
                    throw new AssertionError("no " + what + " within " + timeout.toMillis() + " ms");
                }
                if (wanted.test(message)) {
                    return message;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Messages already received and not yet taken. */
    public int pending() {
        return received.size();
    }

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
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(failure -> null);
        }
        socket.abort();
    }
}
