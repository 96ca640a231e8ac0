package io.steward.agent.link;

import static java.util.Objects.requireNonNull;

import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * One open WebSocket of a link. The JDK allows one outstanding send, so at most one frame is being written at a
 * time ({@link #writing()}), and the close frame waits for the last one. Confined to the link's executor.
 */
final class Connection {
    private final WebSocket socket;
    private CompletableFuture<?> lastWrite = CompletableFuture.completedFuture(null);
    private boolean writing;

    Connection(WebSocket socket) {
        this.socket = requireNonNull(socket, "socket is null");
    }

    /** Whether a frame is being written; the next one waits until {@link #written()}. */
    boolean writing() {
        return writing;
    }

    /** Starts writing one whole text frame; a send the JDK refuses outright fails the returned future. */
    CompletableFuture<WebSocket> write(String text) {
        writing = true;
        CompletableFuture<WebSocket> sent;
        try {
            sent = socket.sendText(text, true);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        lastWrite = sent;
        return sent;
    }

    /** The frame being written is done (either way). */
    void written() {
        writing = false;
    }

    /** Sends a normal close after the frame being written, if any; the node's close reply ends the connection. */
    CompletableFuture<WebSocket> closeAfterWrites(String reason) {
        return lastWrite.handle((ignored, failure) -> null)
                .thenCompose(ignored -> socket.sendClose(WebSocket.NORMAL_CLOSURE, reason));
    }

    void abort() {
        socket.abort();
    }

    /** A failure as one line for logs and status: the real cause, without the future's wrappers. */
    static String describe(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof WebSocketHandshakeException handshake && handshake.getResponse() != null) {
            int status = handshake.getResponse().statusCode();
            // Redirects are never followed: a plain-HTTP port of a node serving HTTPS only redirects.
            return "WebSocketHandshakeException: HTTP " + status + (status >= 300 && status < 400
                    ? " (a redirect, not followed: a node serving HTTPS is reached with wss://)" : "");
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
