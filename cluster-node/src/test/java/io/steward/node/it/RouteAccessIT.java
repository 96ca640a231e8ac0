package io.steward.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.node.StewardNode;
import io.steward.node.http.ApiEndpoints;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.TestNodes;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks the route table the node enforces ({@link ApiEndpoints}), so a new route cannot forget its role: every
 * admin endpoint refuses a viewer's session and a read-only API token, every endpoint refuses an anonymous caller
 * unless it is public, and every listed endpoint reaches a route (the table has no row the routes do not serve).
 */
class RouteAccessIT {
    private static final String NO_SUCH_RESOURCE = "no such API resource";

    @TempDir
    Path nodeDir;

    @Test
    void aViewerAndAReadOnlyTokenAreRefusedOnEveryAdminRouteAndNoListedRouteIsMissing() throws Exception {
        try (StewardNode node = StewardNode.start(TestNodes.h2(nodeDir))) {
            int port = node.httpPort();
            ApiClient admin = new ApiClient(port);
            admin.loginAsAdmin();
            admin.post("/api/users", "{\"username\":\"vic\",\"password\":\"viewer password\",\"role\":\"viewer\"}")
                    .json();
            ApiClient viewer = new ApiClient(port);
            viewer.login("vic", "viewer password").json();
            String readOnly = admin.post("/api/tokens", "{\"name\":\"reader\",\"scope\":\"read-only\"}").json()
                    .get("secret").asText();
            ApiClient token = ApiClient.withToken(port, readOnly);
            ApiClient anonymous = new ApiClient(port);

            List<ApiEndpoints.Endpoint> endpoints = ApiEndpoints.all();
            assertThat(endpoints.stream().filter(endpoint -> endpoint.access() == ApiEndpoints.Access.ADMIN))
                    .hasSizeGreaterThan(25);
            for (ApiEndpoints.Endpoint endpoint : endpoints) {
                String what = endpoint.method() + " " + endpoint.path();
                String path = concrete(endpoint.path());
                switch (endpoint.access()) {
                    case ADMIN -> {
                        assertThat(call(viewer, endpoint.method(), path).status()).as("viewer: " + what)
                                .isEqualTo(403);
                        assertThat(call(token, endpoint.method(), path).status()).as("read-only token: " + what)
                                .isEqualTo(403);
                        assertThat(call(anonymous, endpoint.method(), path).status()).as("anonymous: " + what)
                                .isEqualTo(401);
                    }
                    case USER -> {
                        assertThat(call(viewer, endpoint.method(), path).status()).as("viewer: " + what)
                                .isNotIn(401, 403);
                        assertThat(call(anonymous, endpoint.method(), path).status()).as("anonymous: " + what)
                                .isEqualTo(401);
                    }
                    case PUBLIC -> assertThat(call(anonymous, endpoint.method(), path).status())
                            .as("anonymous: " + what).isNotEqualTo(401);
                }
                if (!endpoint.path().equals("/api/auth/logout")) {
                    ApiClient.Response answer = call(admin, endpoint.method(), path);
                    assertThat(answer.raw().body()).as("admin reaches a route: " + what)
                            .doesNotContain(NO_SUCH_RESOURCE);
                }
            }
            // The API's description is public and describes exactly the table's endpoints.
            ApiClient.Response description = anonymous.get("/api/openapi.json");
            assertThat(description.status()).isEqualTo(200);
            JsonNode document = description.json();
            assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
            Set<String> described = new TreeSet<>();
            document.get("paths").fields().forEachRemaining(entry -> entry.getValue().fieldNames()
                    .forEachRemaining(method -> described.add(method.toUpperCase() + " " + entry.getKey())));
            Set<String> table = new TreeSet<>();
            endpoints.forEach(endpoint -> table.add(endpoint.method() + " " + endpoint.path()));
            assertThat(described).containsAll(table);
            // And what the table does not list is not served at all, whoever asks.
            assertThat(admin.get("/api/not-listed").status()).isEqualTo(404);
            assertThat(admin.put("/api/users", "{}").status()).isEqualTo(405);
        }
    }

    /**
     * The path with a placeholder value in each {segment} (numeric where the route only takes a number) and the
     * query parameters a route requires.
     */
    private static String concrete(String template) {
        if (template.startsWith("/api/notifications/")) {
            return template.replaceAll("\\{[^}]+}", "1");
        }
        String path = template.replaceAll("\\{[^}]+}", "nosuch1");
        return path.endsWith("/metrics") ? path + "?name=cpu.percent" : path;
    }

    private static ApiClient.Response call(ApiClient client, String method, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(client.base().resolve(path));
        if (method.equals("GET") || method.equals("DELETE")) {
            return client.send(request.method(method, HttpRequest.BodyPublishers.noBody()));
        }
        return client.send(request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString("{}")));
    }
}
