package io.steward.node.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP receiver standing in for Telegram, Slack, Discord and webhook endpoints: records every request and
 * answers each path with scripted status codes (then 200).
 */
public final class RecordingHttpServer implements AutoCloseable {

    public record Request(String path, Map<String, List<String>> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return entry.getValue().get(0);
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> scripts = new ConcurrentHashMap<>();

    public RecordingHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(path, Map.copyOf(exchange.getRequestHeaders()), body));
            Deque<Integer> script = scripts.get(path);
            Integer status;
            synchronized (this) {
                status = script == null ? null : script.poll();
            }
            int code = status == null ? 200 : status;
            byte[] answer = (code == 200 ? "{\"ok\":true}" : "{\"error\":\"scripted failure\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    /** The next requests to {@code path} get these status codes, in order; later ones get 200. */
    public void script(String path, Integer... statuses) {
        scripts.put(path, new ArrayDeque<>(List.of(statuses)));
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Request> requests(String path) {
        List<Request> matching = new ArrayList<>();
        for (Request request : requests) {
            if (request.path().equals(path)) {
                matching.add(request);
            }
        }
        return matching;
    }

    /** Every request received, on any path. */
    public List<Request> all() {
        return List.copyOf(requests);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
