package io.steward.node.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import io.steward.node.NodeConfig;
import io.steward.node.StewardNode;
import io.steward.node.auth.Secrets;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.TestNodes;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;

/**
 * A database written by the Steward before accounts (schema version 4: one admin, sessions without a last use) is
 * upgraded in place: the admin keeps its password, a session it had keeps working, and the new account features
 * work on the old rows.
 */
class AccountsUpgradeTest {
    private static final String OLD_PASSWORD = "the old admin password";
    private static final String OLD_SESSION = "stw_session_made-by-the-previous-version";

    @TempDir
    Path nodeDir;

    @Test
    void theSingleAdminOfThePreviousVersionKeepsItsPasswordAndItsSession() throws Exception {
        Config config = TestNodes.h2(nodeDir);
        DatabaseSettings settings = NodeConfig.databaseSettings(config);
        try (Database database = Database.open(settings)) {
            new Migrator(database.dataSource(), database.kind(), Migrator.MIGRATIONS.subList(0, 4)).migrate();
            long now = Instant.now().toEpochMilli();
            try (Connection connection = database.dataSource().getConnection()) {
                // Exactly what the previous UserStore wrote.
                try (PreparedStatement user = connection.prepareStatement(
                        "INSERT INTO users(username, password_hash, role, created_at) VALUES (?, ?, ?, ?)")) {
                    user.setString(1, "admin");
                    user.setString(2, BCrypt.hashpw(OLD_PASSWORD, BCrypt.gensalt(4)));
                    user.setString(3, "ADMIN");
                    user.setLong(4, now);
                    user.executeUpdate();
                }
                try (PreparedStatement session = connection.prepareStatement(
                        "INSERT INTO sessions(token_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)")) {
                    session.setString(1, Secrets.hash(OLD_SESSION));
                    session.setString(2, "admin");
                    session.setLong(3, now);
                    session.setLong(4, now + Duration.ofDays(7).toMillis());
                    session.executeUpdate();
                }
            }
            database.shutdownEmbedded();
        }

        try (StewardNode node = StewardNode.start(config)) {
            assertThat(node.generatedAdminPassword()).isEmpty();
            int port = node.httpPort();
            ApiClient kept = new ApiClient(port);
            ApiClient.Response me = kept.send(HttpRequest.newBuilder(kept.base().resolve("/api/auth/me"))
                    .header("Cookie", "steward_session=" + OLD_SESSION).GET());
            assertThat(me.json().get("username").asText()).isEqualTo("admin");

            ApiClient admin = new ApiClient(port);
            assertThat(admin.login("admin", TestNodes.ADMIN_PASSWORD).status()).isEqualTo(401);
            assertThat(admin.login("admin", OLD_PASSWORD).json().get("role").asText()).isEqualTo("ADMIN");
            JsonNode users = admin.get("/api/users").json();
            assertThat(users).hasSize(1);
            assertThat(users.get(0).get("disabled").asBoolean()).isFalse();
            assertThat(users.get(0).get("email").isNull()).isTrue();
            assertThat(admin.post("/api/users", """
                    {"username":"new-viewer","password":"viewer password","role":"viewer"}""").status())
                    .isEqualTo(201);
            assertThat(admin.post("/api/tokens", "{\"name\":\"script\"}").status()).isEqualTo(201);
        }
    }
}
