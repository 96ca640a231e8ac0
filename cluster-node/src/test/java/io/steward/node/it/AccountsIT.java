package io.steward.node.it;

import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.steward.node.StewardNode;
import io.steward.node.auth.Secrets;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.LiveSocket;
import io.steward.node.testing.RawHttp;
import io.steward.node.testing.TestNodes;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accounts against a real node: users and roles, the audit log, password changes that end sessions (and close live
 * sockets), idle sessions, API tokens, and a login throttle that neither races nor locks the owner out.
 */
class AccountsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path nodeDir;

    private Config config(String extra) {
        return ConfigFactory.parseString(extra).withFallback(TestNodes.h2(nodeDir)).resolve();
    }

    @Test
    void anAdminManagesUsersAndEveryChangeIsAuditedWithWhoDidIt() throws Exception {
        try (StewardNode node = StewardNode.start(config(""))) {
            ApiClient admin = new ApiClient(node.httpPort());
            admin.loginAsAdmin();

            assertThat(admin.post("/api/users", """
                    {"username":"vera","password":"short","role":"viewer"}""").body().get("error").asText())
                    .contains("password");
            assertThat(admin.post("/api/users", """
                    {"username":"vera","password":"viewer password","role":"owner"}""").body().get("error").asText())
                    .contains("role");
            assertThat(admin.post("/api/users", """
                    {"username":"../x","password":"viewer password","role":"viewer"}""").status()).isEqualTo(400);
            assertThat(admin.post("/api/users", """
                    {"username":"vera","password":"viewer password","role":"viewer","email":"nope"}""")
                    .body().get("error").asText()).contains("email");
            ApiClient.Response created = admin.post("/api/users", """
                    {"username":"vera","password":"viewer password","role":"viewer","email":"vera@example.org"}""");
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.json().get("role").asText()).isEqualTo("VIEWER");
            assertThat(created.raw().body()).doesNotContain("viewer password").doesNotContain("$2a$");
            assertThat(admin.post("/api/users", """
                    {"username":"vera","password":"other password","role":"admin"}""").status()).isEqualTo(409);
            assertThat(admin.get("/api/users").json()).extracting(user -> user.get("username").asText())
                    .containsExactly("admin", "vera");

            // The viewer reads, and is refused every change.
            ApiClient vera = new ApiClient(node.httpPort());
            assertThat(vera.login("vera", "viewer password").json().get("role").asText()).isEqualTo("VIEWER");
            assertThat(vera.get("/api/servers").status()).isEqualTo(200);
            assertThat(vera.get("/api/users").status()).isEqualTo(403);
            assertThat(vera.post("/api/users", "{}").status()).isEqualTo(403);
            assertThat(vera.post("/api/alert-rules", "{}").status()).isEqualTo(403);

            // Promoted, the same session may administer.
            assertThat(admin.patch("/api/users/vera", "{\"role\":\"admin\"}").json().get("role").asText())
                    .isEqualTo("ADMIN");
            assertThat(vera.get("/api/users").status()).isEqualTo(200);
            assertThat(admin.patch("/api/users/vera", "{\"role\":\"viewer\",\"email\":\"\"}").json()
                    .get("email").isNull()).isTrue();

            // Disabled: the session ends at once and logins fail like a wrong password.
            assertThat(admin.patch("/api/users/vera", "{\"disabled\":true}").json().get("disabled").asBoolean())
                    .isTrue();
            assertThat(vera.get("/api/auth/me").status()).isEqualTo(401);
            assertThat(vera.login("vera", "viewer password").status()).isEqualTo(401);
            admin.patch("/api/users/vera", "{\"disabled\":false}").json();
            assertThat(vera.login("vera", "viewer password").status()).isEqualTo(200);

            // The last admin cannot be demoted, disabled or deleted; nobody deletes themselves.
            assertThat(admin.patch("/api/users/admin", "{\"role\":\"viewer\"}").status()).isEqualTo(409);
            assertThat(admin.patch("/api/users/admin", "{\"disabled\":true}").status()).isEqualTo(409);
            assertThat(admin.delete("/api/users/admin").status()).isEqualTo(409);
            assertThat(admin.patch("/api/users/nobody", "{\"role\":\"viewer\"}").status()).isEqualTo(404);
            assertThat(admin.patch("/api/users/vera", "{}").status()).isEqualTo(400);

            assertThat(admin.delete("/api/users/vera").json().get("deleted").asText()).isEqualTo("vera");
            assertThat(vera.get("/api/auth/me").status()).isEqualTo(401);
            assertThat(vera.login("vera", "viewer password").status()).isEqualTo(401);
            assertThat(admin.delete("/api/users/vera").status()).isEqualTo(404);

            List<String> audit = new ArrayList<>();
            admin.get("/api/audit").json().forEach(entry -> audit.add(entry.get("actor").asText() + " "
                    + entry.get("action").asText() + " " + entry.get("target").asText() + " ("
                    + entry.get("detail").asText() + ")"));
            assertThat(audit).containsExactly(
                    "admin user.deleted vera (sessions and API tokens removed)",
                    "admin user.updated vera (enabled)",
                    "admin user.updated vera (disabled)",
                    "admin user.updated vera (role viewer, email cleared)",
                    "admin user.updated vera (role admin)",
                    "admin user.created vera (role viewer, email vera@example.org)");
            assertThat(vera.get("/api/audit").status()).isEqualTo(401);
        }
    }

    @Test
    void changingOnesPasswordEndsTheOtherSessionsAndClosesTheirLiveSockets() throws Exception {
        try (StewardNode node = StewardNode.start(config("steward.live.session-check-interval = 200ms"))) {
            ApiClient here = new ApiClient(node.httpPort());
            ApiClient elsewhere = new ApiClient(node.httpPort());
            here.loginAsAdmin();
            elsewhere.loginAsAdmin();
            try (LiveSocket hereSocket = here.liveSocket(); LiveSocket elsewhereSocket = elsewhere.liveSocket()) {
                hereSocket.next("welcome", WAIT);
                elsewhereSocket.next("welcome", WAIT);

                assertThat(here.post("/api/auth/password", """
                        {"current":"wrong password","new":"a new password"}""").body().get("error").asText())
                        .contains("current");
                assertThat(here.post("/api/auth/password", """
                        {"current":"%s","new":"short"}""".formatted(TestNodes.ADMIN_PASSWORD)).body()
                        .get("error").asText()).contains("new");
                assertThat(here.post("/api/auth/password", """
                        {"current":"%s","new":"a new password"}""".formatted(TestNodes.ADMIN_PASSWORD)).status())
                        .isEqualTo(200);

                assertThat(here.get("/api/auth/me").status()).isEqualTo(200);
                assertThat(elsewhere.get("/api/auth/me").status()).isEqualTo(401);
                assertThat(elsewhereSocket.awaitClosed(WAIT)).as("the ended session's socket closed").isTrue();
                assertThat(hereSocket.awaitClosed(Duration.ofMillis(800))).as("the changer's socket open").isFalse();
            }
            assertThat(new ApiClient(node.httpPort()).login("admin", TestNodes.ADMIN_PASSWORD).status())
                    .isEqualTo(401);
            ApiClient again = new ApiClient(node.httpPort());
            assertThat(again.login("admin", "a new password").status()).isEqualTo(200);

            // Logging out closes the socket of that session too.
            try (LiveSocket socket = again.liveSocket()) {
                socket.next("welcome", WAIT);
                again.post("/api/auth/logout", "{}").json();
                assertThat(socket.awaitClosed(WAIT)).isTrue();
            }
            List<String> actions = new ArrayList<>();
            here.get("/api/audit").json().forEach(entry -> actions.add(entry.get("actor").asText() + " "
                    + entry.get("action").asText()));
            assertThat(actions).containsExactly("admin password.changed");
        }
    }

    @Test
    void anAdminResetsAnotherUsersPasswordAndItsSessionsEnd() throws Exception {
        try (StewardNode node = StewardNode.start(config(""))) {
            ApiClient admin = new ApiClient(node.httpPort());
            admin.loginAsAdmin();
            admin.post("/api/users", "{\"username\":\"olga\",\"password\":\"olga password\",\"role\":\"viewer\"}")
                    .json();
            ApiClient olga = new ApiClient(node.httpPort());
            olga.login("olga", "olga password").json();

            assertThat(admin.patch("/api/users/olga", "{\"password\":\"1234\"}").status()).isEqualTo(400);
            assertThat(admin.patch("/api/users/olga", "{\"password\":\"reset by admin\"}").json()
                    .get("passwordChangedAt").isNull()).isFalse();

            assertThat(olga.get("/api/auth/me").status()).isEqualTo(401);
            assertThat(olga.login("olga", "olga password").status()).isEqualTo(401);
            assertThat(olga.login("olga", "reset by admin").status()).isEqualTo(200);
            assertThat(admin.get("/api/auth/me").status()).as("the admin's own session").isEqualTo(200);
            assertThat(admin.get("/api/audit").json().get(0).get("action").asText()).isEqualTo("user.password-reset");
        }
    }

    @Test
    void nobodyChangesTheirOwnPasswordWithoutTheCurrentOneAndAnApiTokenCannotTakeAnAccountOver() throws Exception {
        try (StewardNode node = StewardNode.start(config(""))) {
            ApiClient admin = new ApiClient(node.httpPort());
            admin.loginAsAdmin();
            admin.post("/api/users", "{\"username\":\"olga\",\"password\":\"olga password\",\"role\":\"viewer\"}")
                    .json();

            ApiClient.Response own = admin.patch("/api/users/admin", "{\"password\":\"no current needed?\"}");
            assertThat(own.status()).isEqualTo(400);
            assertThat(own.body().get("error").asText()).contains("password").contains("POST /api/auth/password");
            assertThat(admin.login("admin", "no current needed?").status()).isEqualTo(401);

            String secret = admin.post("/api/tokens", "{\"name\":\"ci\",\"scope\":\"admin\"}").json().get("secret")
                    .asText();
            ApiClient token = ApiClient.withToken(node.httpPort(), secret);
            assertThat(token.patch("/api/users/olga", "{\"password\":\"taken over by a token\"}").status())
                    .isEqualTo(403);
            assertThat(token.patch("/api/users/olga", "{\"email\":\"attacker@example.org\"}").status())
                    .as("a reset link to the token holder's address would do the same").isEqualTo(403);
            assertThat(token.patch("/api/users/admin", "{\"password\":\"taken over by a token\"}").status())
                    .isIn(400, 403);
            assertThat(token.post("/api/auth/password", """
                    {"current":"%s","new":"taken over by a token"}""".formatted(TestNodes.ADMIN_PASSWORD)).status())
                    .isEqualTo(403);
            assertThat(token.post("/api/users", """
                    {"username":"backdoor","password":"backdoor password","role":"admin"}""").status())
                    .isEqualTo(403);
            assertThat(new ApiClient(node.httpPort()).login("olga", "olga password").status()).isEqualTo(200);
            assertThat(new ApiClient(node.httpPort()).login("admin", TestNodes.ADMIN_PASSWORD).status())
                    .isEqualTo(200);
            assertThat(admin.get("/api/users").json()).hasSize(2);
            assertThat(token.patch("/api/users/olga", "{\"role\":\"admin\"}").status()).as("still automation")
                    .isEqualTo(200);
        }
    }

    @Test
    void anIdleSessionEndsAndIsPurgedWhileAnActiveOneLives() throws Exception {
        try (StewardNode node = StewardNode.start(config("""
                steward.auth.session-idle-timeout = 3s
                steward.auth.session-purge-interval = 200ms"""))) {
            // 3 s: two logins (password hashing on a loaded machine) must fit in it before the active one's use.
            ApiClient active = new ApiClient(node.httpPort());
            ApiClient idle = new ApiClient(node.httpPort());
            active.loginAsAdmin();
            idle.loginAsAdmin();
            assertThat(sessionCount(node)).isEqualTo(2);

            // The active client keeps using its session past the idle timeout; the idle one's row is purged.
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (sessionCount(node) > 1) {
                assertThat(active.get("/api/auth/me").status()).isEqualTo(200);
                assertThat(System.nanoTime()).as("the idle session purged in time").isLessThan(deadline);
                Thread.sleep(50); // pacing the active client, not waiting for the purge
            }
            assertThat(active.get("/api/auth/me").status()).isEqualTo(200);
            assertThat(idle.get("/api/auth/me").status()).isEqualTo(401);
            assertThat(idle.get("/api/auth/me").body().get("error").asText()).contains("log in again");
        }
    }

    @Test
    void apiTokensAreHashedAtRestScopedRecordedWhenUsedAndRevocable() throws Exception {
        try (StewardNode node = StewardNode.start(config(""))) {
            ApiClient admin = new ApiClient(node.httpPort());
            admin.loginAsAdmin();
            assertThat(admin.post("/api/tokens", "{\"name\":\"x\",\"scope\":\"root\"}").body().get("error").asText())
                    .contains("scope");
            JsonNode readOnly = admin.post("/api/tokens", "{\"name\":\"grafana\",\"scope\":\"read-only\"}").json();
            JsonNode full = admin.post("/api/tokens", "{\"name\":\"ansible\",\"scope\":\"admin\"}").json();
            String readSecret = readOnly.get("secret").asText();
            String adminSecret = full.get("secret").asText();
            assertThat(readSecret).startsWith("stw_token_");

            // At rest only a hash; listed without any secret.
            String rows = dump(node, "SELECT * FROM api_tokens");
            assertThat(rows).doesNotContain(readSecret).doesNotContain(adminSecret)
                    .contains(Secrets.hash(readSecret)).contains(Secrets.hash(adminSecret));
            String listed = admin.get("/api/tokens").raw().body();
            assertThat(listed).doesNotContain(readSecret).doesNotContain(adminSecret).contains("grafana");
            assertThat(admin.get("/api/tokens").json().get(0).get("lastUsedAt").isNull()).isTrue();

            ApiClient script = ApiClient.withToken(node.httpPort(), readSecret);
            assertThat(script.get("/api/servers").status()).isEqualTo(200);
            assertThat(script.get("/api/auth/me").json().get("role").asText()).isEqualTo("VIEWER");
            assertThat(script.post("/api/users", "{}").status()).isEqualTo(403);
            assertThat(script.post("/api/alert-rules", "{}").status()).isEqualTo(403);
            assertThat(script.post("/api/tokens", "{\"name\":\"more\"}").status()).isEqualTo(403);

            // An admin token acts as its admin, but cannot mint accounts (a login that would outlive the token).
            ApiClient automation = ApiClient.withToken(node.httpPort(), adminSecret);
            assertThat(automation.post("/api/users", """
                    {"username":"made-by-script","password":"script password","role":"viewer"}""").status())
                    .isEqualTo(403);
            admin.post("/api/users", """
                    {"username":"made-by-script","password":"script password","role":"viewer"}""").json();
            assertThat(automation.patch("/api/users/made-by-script", "{\"disabled\":false}").status()).isEqualTo(200);
            assertThat(admin.get("/api/audit").json().get(0).get("actor").asText()).isEqualTo("admin");

            eventually(WAIT, () -> {
                JsonNode tokens = admin.get("/api/tokens").json();
                for (JsonNode token : tokens) {
                    assertThat(token.get("lastUsedAt").isNull()).as(token.get("name").asText()).isFalse();
                    assertThat(token.get("lastUsedFrom").asText()).isEqualTo("127.0.0.1");
                }
            });

            assertThat(admin.delete("/api/tokens/" + readOnly.get("token").get("id").asText()).status())
                    .isEqualTo(200);
            assertThat(script.get("/api/servers").status()).isEqualTo(401);
            assertThat(ApiClient.withToken(node.httpPort(), "stw_token_made-up").get("/api/servers").status())
                    .isEqualTo(401);

            // A viewer's tokens are read-only; it sees only its own.
            ApiClient viewer = new ApiClient(node.httpPort());
            viewer.login("made-by-script", "script password").json();
            assertThat(viewer.post("/api/tokens", "{\"name\":\"mine\",\"scope\":\"admin\"}").status()).isEqualTo(403);
            JsonNode own = viewer.post("/api/tokens", "{\"name\":\"mine\"}").json();
            assertThat(own.get("token").get("scope").asText()).isEqualTo("read-only");
            assertThat(viewer.get("/api/tokens").json()).hasSize(1);
            assertThat(viewer.delete("/api/tokens/" + full.get("token").get("id").asText()).status()).isEqualTo(404);
            // Deleting the user ends its tokens.
            admin.delete("/api/users/made-by-script").json();
            assertThat(ApiClient.withToken(node.httpPort(), own.get("secret").asText()).get("/api/servers").status())
                    .isEqualTo(401);
        }
    }

    @Test
    void concurrentWrongPasswordsNeverPassTheLimitAndTheOwnerStillLogsInFromAnotherAddress() throws Exception {
        try (StewardNode node = StewardNode.start(config("steward.auth.max-failed-logins = 5"))) {
            int port = node.httpPort();
            ExecutorService pool = Executors.newFixedThreadPool(20);
            List<CompletableFuture<Integer>> answers = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    String guess = "guess number " + i;
                    answers.add(CompletableFuture.supplyAsync(
                            () -> new ApiClient(port).login("admin", guess).status(), pool));
                }
                List<Integer> statuses = answers.stream().map(CompletableFuture::join).toList();
                assertThat(statuses).filteredOn(status -> status == 401).as("passwords checked").hasSize(5);
                assertThat(statuses).filteredOn(status -> status == 429).hasSize(15);
            } finally {
                pool.shutdownNow();
            }
            // The right password from the attacked address waits too...
            ApiClient.Response throttled = new ApiClient(port).login("admin", TestNodes.ADMIN_PASSWORD);
            assertThat(throttled.status()).isEqualTo(429);
            assertThat(throttled.raw().headers().firstValue("Retry-After")).isPresent();
            // ...but the owner at another address gets in.
            RawHttp.Response owner = RawHttp.postJson("127.0.0.2", port, "/api/auth/login",
                    "{\"username\":\"admin\",\"password\":\"" + TestNodes.ADMIN_PASSWORD + "\"}");
            assertThat(owner.status()).as(owner.body()).isEqualTo(200);
            assertThat(owner.head()).containsIgnoringCase("Set-Cookie: steward_session=stw_session_");
        }
    }

    static long sessionCount(StewardNode node) throws SQLException {
        return Long.parseLong(dump(node, "SELECT COUNT(*) FROM sessions").strip());
    }

    /** Every value of every row, as text. */
    static String dump(StewardNode node, String sql) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection connection = node.database().dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                for (int i = 1; i <= columns; i++) {
                    out.append(rows.getString(i)).append(' ');
                }
                out.append('\n');
            }
        }
        return out.toString();
    }
}
