package io.steward.node.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A real HTTP server on loopback for URL checks: {@code /health} answers 200 with a fixed body. */
public final class HttpTarget {
    private HttpTarget() {}

    /** Started on {@code port} of 127.0.0.1 (0: any free one). */
    public static HttpServer start(int port, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        server.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return server;
    }
}
