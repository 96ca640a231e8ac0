package io.steward.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.steward.core.testing.FreePort;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.RecordingHttpServer;
import io.steward.node.testing.TestNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notification channels secure by default, on a real node: stored secrets never follow a changed destination, are
 * encrypted at rest (and old plaintext rows are encrypted on start and keep working), metadata and link-local
 * destinations are refused at save and at send time, SMTP passwords never go over plain text unless the channel
 * says so, and viewers see no destinations.
 */
class ChannelSecurityIT {
    private static final String TOKEN = "123456:SECRET-TOKEN";

    @TempDir
    Path dataDir;

    private Config config(String egress) {
        return ConfigFactory.parseString(egress).withFallback(TestNodes.h2(dataDir));
    }

    private static String create(ApiClient api, String json) {
        ApiClient.Response response = api.post("/api/channels", json);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(201);
        return response.body().get("id").asText();
    }

    @Test
    void aChangedDestinationDropsTheStoredSecretsSoTheNewHostNeverSeesThem() throws Exception {
        try (RecordingHttpServer telegram = new RecordingHttpServer();
                RecordingHttpServer attacker = new RecordingHttpServer();
                StewardNode node = StewardNode.start(config(""))) {
            ApiClient api = new ApiClient(node.httpPort());
            api.loginAsAdmin();
            String id = create(api, """
                    {"name":"Telegram","type":"telegram","settings":{"chatId":"42","apiBase":"%s"},
                     "secrets":{"botToken":"%s"}}""".formatted(telegram.url("/tg"), TOKEN));

            ApiClient.Response moved = api.put("/api/channels/" + id, """
                    {"name":"Telegram","type":"telegram","settings":{"chatId":"42","apiBase":"%s"}}"""
                    .formatted(attacker.url("/steal")));
            assertThat(moved.status()).isEqualTo(200);
            assertThat(moved.body().get("secretsSet")).isEmpty();
            assertThat(moved.body().get("secretsCleared").get(0).asText()).isEqualTo("botToken");

            ApiClient.Response test = api.post("/api/channels/" + id + "/test", "{}");
            assertThat(test.status()).isEqualTo(502);
            assertThat(test.body().get("error").asText()).contains("secrets.botToken is not set");
            assertThat(attacker.all()).isEmpty();
            assertThat(telegram.all()).isEmpty();

            // Entered again with the new destination, it is used there: the admin chose to send it.
            assertThat(api.put("/api/channels/" + id, """
                    {"name":"Telegram","type":"telegram","settings":{"chatId":"42","apiBase":"%s"},
                     "secrets":{"botToken":"%s"}}""".formatted(telegram.url("/tg2"), TOKEN)).status()).isEqualTo(200);
            assertThat(api.post("/api/channels/" + id + "/test", "{}").status()).isEqualTo(200);
            assertThat(telegram.requests("/tg2/bot" + TOKEN + "/sendMessage")).hasSize(1);

            // Changing what is not a destination (the chat) keeps the token.
            ApiClient.Response renamed = api.put("/api/channels/" + id, """
                    {"name":"Ops chat","type":"telegram","settings":{"chatId":"43","apiBase":"%s"}}"""
                    .formatted(telegram.url("/tg2")));
            assertThat(renamed.body().get("secretsSet").get(0).asText()).isEqualTo("botToken");
            assertThat(renamed.body().get("secretsCleared")).isEmpty();

            // Email: a new SMTP host drops the stored password too.
            String mail = create(api, """
                    {"name":"Mail","type":"email","settings":{"host":"127.0.0.1","port":2525,"security":"tls",
                     "username":"ops","from":"steward@example.org","to":["ops@example.org"]},
                     "secrets":{"password":"smtp-password"}}""");
            ApiClient.Response mailMoved = api.put("/api/channels/" + mail, """
                    {"name":"Mail","type":"email","settings":{"host":"localhost","port":2525,"security":"tls",
                     "username":"ops","from":"steward@example.org","to":["ops@example.org"]}}""");
            assertThat(mailMoved.body().get("secretsCleared").get(0).asText()).isEqualTo("password");
        }
    }

    @Test
    void secretsAreEncryptedAtRestAndRowsWrittenInPlaintextByTheOldVersionAreEncryptedOnStartAndStillWork()
            throws Exception {
        try (RecordingHttpServer receiver = new RecordingHttpServer()) {
            String legacyId = "channel-legacy1";
            try (StewardNode node = StewardNode.start(config(""))) {
                ApiClient api = new ApiClient(node.httpPort());
                api.loginAsAdmin();
                String id = create(api, """
                        {"name":"Telegram","type":"telegram","settings":{"chatId":"42","apiBase":"%s"},
                         "secrets":{"botToken":"%s"}}""".formatted(receiver.url("/tg"), TOKEN));
                assertThat(secretsColumn(node, id)).startsWith("sealed1:").doesNotContain(TOKEN)
                        .doesNotContain("botToken");
                assertThat(api.post("/api/channels/" + id + "/test", "{}").status()).isEqualTo(200);
                // The previous version's row: secrets as plain JSON.
                try (Connection connection = node.database().dataSource().getConnection();
                        PreparedStatement insert = connection.prepareStatement("INSERT INTO notification_channels"
                                + " (id, name, kind, enabled, severities, groups_filter, tags_filter, settings,"
                                + " secrets, created_at, updated_at) VALUES (?, 'Old hook', 'WEBHOOK', TRUE,"
                                + " 'CRITICAL,WARNING', '[]', '[]', ?, ?, 0, 0)")) {
                    insert.setString(1, legacyId);
                    insert.setString(2, "{\"url\":\"" + receiver.url("/legacy") + "\"}");
                    insert.setString(3, "{\"hmacSecret\":\"old-secret\"}");
                    insert.executeUpdate();
                }
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
            Path keyFile = dataDir.resolve("secret.key");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");

            try (StewardNode node = StewardNode.start(config(""))) {
                assertThat(secretsColumn(node, legacyId)).startsWith("sealed1:").doesNotContain("old-secret");
                ApiClient api = new ApiClient(node.httpPort());
                api.loginAsAdmin();
                assertThat(api.post("/api/channels/" + legacyId + "/test", "{}").status()).isEqualTo(200);
                RecordingHttpServer.Request sent = receiver.requests("/legacy").get(0);
                String t = sent.header("X-Steward-Signature").replaceAll("^t=(\\d+),v1=.*$", "$1");
                assertThat(sent.header("X-Steward-Signature")).endsWith(io.steward.node.notify.ChannelSenders
                        .hmacSha256Hex("old-secret", (t + "." + sent.text()).getBytes()));
                // The database alone, without the key file, gives nothing away.
                assertThat(Files.readString(keyFile)).doesNotContain("old-secret");
            }
        }
    }

    @Test
    void metadataAndLinkLocalDestinationsAreRefusedAtSaveAndSendTimeUnlessAllowed() throws Exception {
        String strict = "steward.notify.egress.deny = [\"169.254.0.0/16\", \"fe80::/10\", \"metadata.google.internal\","
                + " \"127.0.0.0/8\"]";
        try (RecordingHttpServer receiver = new RecordingHttpServer()) {
            String hook = "http://localhost:" + receiver.port() + "/hook";
            String id;
            try (StewardNode node = StewardNode.start(config(strict))) {
                ApiClient api = new ApiClient(node.httpPort());
                api.loginAsAdmin();
                assertRefused(api, """
                        {"name":"x","type":"webhook","settings":{"url":"http://169.254.169.254/latest/meta-data/"}}""",
                        "settings.url");
                assertRefused(api, """
                        {"name":"x","type":"slack","secrets":{"webhookUrl":"http://[fe80::1]/hook"}}""",
                        "secrets.webhookUrl");
                assertRefused(api, """
                        {"name":"x","type":"telegram","settings":{"chatId":"1",
                         "apiBase":"http://metadata.google.internal"},"secrets":{"botToken":"1:A"}}""",
                        "settings.apiBase");
                // A host name is resolved (here by the system resolver) and its address judged.
                ApiClient.Response resolved = api.post("/api/channels", """
                        {"name":"x","type":"webhook","settings":{"url":"%s"}}""".formatted(hook));
                assertThat(resolved.status()).isEqualTo(400);
                assertThat(resolved.body().get("error").asText()).contains("resolves to 127.0.0.1");
                assertThat(api.get("/api/channels").json()).isEmpty();
            }
            try (StewardNode node = StewardNode.start(config(strict
                    + "\nsteward.notify.egress.allow = [\"127.0.0.1\"]"))) {
                ApiClient api = new ApiClient(node.httpPort());
                api.loginAsAdmin();
                id = create(api, """
                        {"name":"Hook","type":"webhook","settings":{"url":"%s"}}""".formatted(hook));
                assertThat(api.post("/api/channels/" + id + "/test", "{}").status()).isEqualTo(200);
                assertThat(receiver.requests("/hook")).hasSize(1);
            }
            // The allowance withdrawn: the stored channel is refused when it sends, not only when it is saved.
            try (StewardNode node = StewardNode.start(config(strict))) {
                ApiClient api = new ApiClient(node.httpPort());
                api.loginAsAdmin();
                ApiClient.Response test = api.post("/api/channels/" + id + "/test", "{}");
                assertThat(test.status()).isEqualTo(502);
                assertThat(test.body().get("error").asText()).contains("resolves to 127.0.0.1");
                assertThat(receiver.requests("/hook")).hasSize(1);
            }
        }
    }

    @Test
    void smtpAuthenticationOverPlainTextNeedsTheChannelToSaySoAndShortSigningSecretsAreRefused() throws Exception {
        int smtpPort = FreePort.find();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.setUser("ops@example.org", "ops", "smtp-password");
        smtp.start();
        try (StewardNode node = StewardNode.start(config(""))) {
            ApiClient api = new ApiClient(node.httpPort());
            api.loginAsAdmin();
            String mail = """
                    {"name":"Mail","type":"email","settings":{"host":"127.0.0.1","port":%d,"security":"none",
                     "username":"ops","from":"steward@example.org","to":["ops@example.org"]%s},
                     "secrets":{"password":"smtp-password"}}""";
            assertRefused(api, mail.formatted(smtpPort, ""), "settings.username");
            String id = create(api, mail.formatted(smtpPort, ",\"allowPlainAuth\":true"));
            assertThat(api.post("/api/channels/" + id + "/test", "{}").status()).isEqualTo(200);
            assertThat(smtp.getReceivedMessages()).hasSize(1);

            assertRefused(api, """
                    {"name":"Hook","type":"webhook","settings":{"url":"http://127.0.0.1:9/x"},
                     "secrets":{"hmacSecret":"too-short"}}""", "secrets.hmacSecret");
        } finally {
            smtp.stop();
        }
    }

    @Test
    void viewersSeeChannelsWithoutTheirDestinations() throws Exception {
        try (RecordingHttpServer receiver = new RecordingHttpServer();
                StewardNode node = StewardNode.start(config(""))) {
            ApiClient admin = new ApiClient(node.httpPort());
            admin.loginAsAdmin();
            String id = create(admin, """
                    {"name":"Hook","type":"webhook","settings":{"url":"%s"}}""".formatted(receiver.url("/private")));
            assertThat(admin.post("/api/users", """
                    {"username":"viewer","password":"viewer password 1","role":"viewer"}""").status()).isEqualTo(201);
            ApiClient viewer = new ApiClient(node.httpPort());
            viewer.login("viewer", "viewer password 1").json();

            ApiClient.Response list = viewer.get("/api/channels");
            assertThat(list.raw().body()).doesNotContain("/private").doesNotContain(String.valueOf(receiver.port()));
            JsonNode channel = list.json().get(0);
            assertThat(channel.get("name").asText()).isEqualTo("Hook");
            assertThat(channel.get("redacted").asBoolean()).isTrue();
            assertThat(channel.get("settings")).isEmpty();
            assertThat(viewer.get("/api/channels/" + id).raw().body()).doesNotContain("/private");
            assertThat(viewer.put("/api/channels/" + id, "{}").status()).isEqualTo(403);
            assertThat(admin.get("/api/channels/" + id).json().get("settings").get("url").asText())
                    .isEqualTo(receiver.url("/private"));
        }
    }

    private static void assertRefused(ApiClient api, String json, String field) {
        ApiClient.Response response = api.post("/api/channels", json);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(400);
        assertThat(response.body().get("error").asText()).startsWith(field);
    }

    private static String secretsColumn(StewardNode node, String id) throws Exception {
        try (Connection connection = node.database().dataSource().getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT secrets FROM notification_channels WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getString(1);
            }
        }
    }
}
