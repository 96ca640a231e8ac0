package io.steward.node.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A browser-like client of the node's JSON API: keeps the session cookie, sends JSON. */
public final class ApiClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI base;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;
    /** Sent as {@code Authorization: Bearer …} when set (a script with an API token rather than a browser). */
    private final String bearer;

    public ApiClient(int port) {
        this(port, null);
    }

    private ApiClient(int port, String bearer) {
        this.base = URI.create("http://127.0.0.1:" + port);
        this.http = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build();
        this.bearer = bearer;
    }

    /** A script's client: no cookies of its own, the API token in every request. */
    public static ApiClient withToken(int port, String token) {
        return new ApiClient(port, token);
    }

    /** A client of a node serving HTTPS at {@code base}, trusting what {@code tls} trusts. */
    public ApiClient(URI base, javax.net.ssl.SSLContext tls) {
        this.base = base;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5))
                .sslContext(tls).build();
        this.bearer = null;
    }

    /** A response with its status and parsed body (a missing or non-JSON body parses to a null node). */
    public record Response(int status, JsonNode body, HttpResponse<String> raw) {
        public JsonNode json() {
            if (status >= 300) {
                throw new AssertionError("HTTP " + status + ": " + raw.body());
            }
            return body;
        }
    }

    public Response login(String username, String password) {
        ObjectMapper mapper = MAPPER;
        return post("/api/auth/login", mapper.createObjectNode().put("username", username).put("password", password)
                .toString());
    }

    public Response loginAsAdmin() {
        Response response = login("admin", TestNodes.ADMIN_PASSWORD);
        response.json();
        return response;
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    /** A GET whose body is read as it arrives (downloads); the caller closes the stream. */
    public HttpResponse<java.io.InputStream> stream(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response post(String path, String json) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response patch(String path, String json) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response put(String path, String json) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    public Response send(HttpRequest.Builder request) {
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = null;
            if (response.body() != null && !response.body().isEmpty()
                    && response.headers().firstValue("Content-Type").orElse("").contains("json")) {
                body = MAPPER.readTree(response.body());
            }
            return new Response(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A GET whose body is read line by line as it arrives (server-sent events), for at most {@code timeout}. */
    public HttpResponse<java.util.stream.Stream<String>> lines(String path, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI base() {
        return base;
    }

    /** Opens {@code /ws/ui} with this client's cookies and the given Origin (null sends none). */
    public LiveSocket liveSocket(String origin) {
        String scheme = base.getScheme().equals("https") ? "wss://" : "ws://";
        return new LiveSocket(http, URI.create(scheme + base.getAuthority() + "/ws/ui"), origin);
    }

    /** Opens {@code /ws/ui} as a page served by this node would. */
    public LiveSocket liveSocket() {
        return liveSocket(base.toString());
    }

    /**
     * Adds the tests' email channel ("Ops mail", from steward@example.org to ops@example.org) sending through the
     * plain SMTP server on 127.0.0.1:{@code smtpPort}; its id. Requires an admin login.
     */
    public String addMailChannel(int smtpPort) {
        Response created = post("/api/channels", """
                {"name":"Ops mail","type":"email","settings":{"host":"127.0.0.1","port":%d,"security":"none",
                 "from":"steward@example.org","to":["ops@example.org"]}}""".formatted(smtpPort));
        if (created.status() != 201) {
            throw new IllegalStateException("the mail channel was not created: " + created.raw().body());
        }
        return created.json().get("id").asText();
    }

    /** A new enrollment token (requires an admin login). */
    public String enrollmentToken() {
        return post("/api/enrollment-tokens", "{}").json().get("token").asText();
    }
}
