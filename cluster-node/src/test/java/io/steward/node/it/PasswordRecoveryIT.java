package io.steward.node.it;

import static io.steward.core.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.steward.core.testing.FreePort;
import io.steward.node.StewardNode;
import io.steward.node.testing.ApiClient;
import io.steward.node.testing.RawHttp;
import io.steward.node.testing.TestNodes;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lost password's two ways back: a "forgot password?" link by email (real SMTP server, GreenMail), single use and
 * short-lived, with the same answer for accounts that do not exist; and the offline {@code reset-password} command
 * on the node's embedded database.
 */
class PasswordRecoveryIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern LINK = Pattern.compile("(http://\\S+/reset-password#token=(stw_reset_[A-Za-z0-9_-]+))");

    @TempDir
    Path nodeDir;

    @Test
    void aForgottenPasswordIsResetOnceThroughAnEmailedLinkWithoutRevealingWhichAccountsExist() throws Exception {
        int smtpPort = FreePort.find();
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Config config = ConfigFactory.parseString("steward.auth.reset-link-ttl = 5s")
                .withFallback(TestNodes.h2(nodeDir)).resolve();
        try (StewardNode node = StewardNode.start(config)) {
            ApiClient admin = new ApiClient(node.httpPort());
            admin.loginAsAdmin();
            admin.post("/api/users", """
                    {"username":"alice","password":"alice password","role":"viewer","email":"alice@example.org"}""")
                    .json();
            admin.post("/api/users", "{\"username\":\"bob\",\"password\":\"bob password\",\"role\":\"viewer\"}")
                    .json();

            // Without an email channel nothing can be sent, and the answer is the same.
            ApiClient anonymous = new ApiClient(node.httpPort());
            ApiClient.Response beforeChannel = anonymous.post("/api/auth/forgot", "{\"username\":\"alice\"}");
            assertThat(beforeChannel.status()).isEqualTo(202);

            admin.addMailChannel(smtpPort);
            ApiClient alice = new ApiClient(node.httpPort());
            alice.login("alice", "alice password").json();
            String aliceToken = alice.post("/api/tokens", "{\"name\":\"laptop\"}").json().get("secret").asText();

            ApiClient.Response unknown = anonymous.post("/api/auth/forgot", "{\"username\":\"nobody\"}");
            ApiClient.Response noEmail = anonymous.post("/api/auth/forgot", "{\"username\":\"bob\"}");
            ApiClient.Response known = anonymous.post("/api/auth/forgot", "{\"username\":\"alice\"}");
            assertThat(List.of(unknown.status(), noEmail.status(), known.status())).containsOnly(202);
            assertThat(unknown.raw().body()).isEqualTo(known.raw().body()).isEqualTo(noEmail.raw().body())
                    .isEqualTo(beforeChannel.raw().body());
            assertThat(anonymous.post("/api/auth/forgot", "{}").status()).isEqualTo(400);

            eventually(WAIT, () -> assertThat(smtp.getReceivedMessages()).hasSize(1));
            MimeMessage mail = smtp.getReceivedMessages()[0];
            assertThat(mail.getAllRecipients()).extracting(Object::toString).containsExactly("alice@example.org");
            assertThat(mail.getSubject()).isEqualTo("[Steward] Reset your password");
            String token = token(GreenMailUtil.getBody(mail));

            assertThat(anonymous.post("/api/auth/reset", "{\"token\":\"" + token + "\",\"password\":\"short\"}")
                    .status()).as("too short: refused, link still good").isEqualTo(400);
            assertThat(anonymous.post("/api/auth/reset", """
                    {"token":"%s","password":"alice new password"}""".formatted(token)).json().get("username")
                    .asText()).isEqualTo("alice");
            assertThat(anonymous.post("/api/auth/reset", """
                    {"token":"%s","password":"alice third password"}""".formatted(token)).body().get("error")
                    .asText()).as("single use").contains("already used or expired");
            assertThat(alice.get("/api/auth/me").status()).as("her old sessions ended").isEqualTo(401);
            assertThat(ApiClient.withToken(node.httpPort(), aliceToken).get("/api/auth/me").status())
                    .as("and her API tokens: whoever had the account may hold one").isEqualTo(401);
            assertThat(alice.login("alice", "alice password").status()).isEqualTo(401);
            assertThat(alice.login("alice", "alice new password").status()).isEqualTo(200);

            // A link left unused past its lifetime no longer works.
            anonymous.post("/api/auth/forgot", "{\"username\":\"alice\"}");
            eventually(WAIT, () -> assertThat(smtp.getReceivedMessages()).hasSize(2));
            String late = token(GreenMailUtil.getBody(smtp.getReceivedMessages()[1]));
            Thread.sleep(5500); // the expiry is the behaviour under test: let the link's 5 s pass
            assertThat(anonymous.post("/api/auth/reset", """
                    {"token":"%s","password":"alice late password"}""".formatted(late)).status()).isEqualTo(400);
            assertThat(alice.login("alice", "alice new password").status()).isEqualTo(200);

            List<String> audit = new ArrayList<>();
            admin.get("/api/audit").json().forEach(entry -> audit.add(entry.get("actor").asText() + " "
                    + entry.get("action").asText() + " " + entry.get("target").asText()));
            assertThat(audit).containsSubsequence("anonymous password.reset-link-sent alice",
                    "reset-link password.reset alice", "anonymous password.reset-link-sent alice");
            assertThat(audit).noneMatch(line -> line.contains("nobody") || line.contains("reset-link-sent bob"));

            // The link names the address the user reached the node by, when that is one of its names...
            int port = node.httpPort();
            RawHttp.postJson("127.0.0.2", port, "/api/auth/forgot", "{\"username\":\"alice\"}", "localhost:" + port);
            // (Found by its link, not its place: the mails of earlier requests all name 127.0.0.1.)
            eventually(WAIT, () -> assertThat(links(smtp))
                    .anyMatch(link -> link.startsWith("http://localhost:" + port + "/reset-password#token=")));
            // ...never a made-up one.
            RawHttp.postJson("127.0.0.3", port, "/api/auth/forgot", "{\"username\":\"alice\"}",
                    "evil.example:" + port);
            eventually(WAIT, () -> assertThat(smtp.getReceivedMessages()).hasSize(4));
            assertThat(links(smtp)).noneMatch(link -> link.contains("evil.example"))
                    .filteredOn(link -> link.startsWith("http://127.0.0.1:" + port + "/reset-password#token="))
                    .hasSize(3);
        } finally {
            smtp.stop();
        }
    }

    private static List<String> links(GreenMail smtp) {
        return java.util.Arrays.stream(smtp.getReceivedMessages()).map(message -> link(GreenMailUtil.getBody(message)))
                .toList();
    }

    @Test
    void theResetPasswordCommandWorksOfflineOnTheEmbeddedDatabase() throws Exception {
        Config config = TestNodes.h2(nodeDir);
        Path dataDir = Path.of(config.getString("steward.data-dir"));
        StewardNode running = StewardNode.start(config);
        try (StewardNode node = running) {
            new ApiClient(node.httpPort()).loginAsAdmin();
            // While the node runs, the embedded database is its alone.
            Result refused = resetPassword("admin", dataDir);
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.output()).contains("stop it first");
        }
        // As the node's process does on its way out: releases the database file.
        running.database().shutdownEmbedded();

        Result unknown = resetPassword("nobody", dataDir);
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.output()).contains("no user named \"nobody\"; users: admin");

        Result reset = resetPassword("admin", dataDir);
        assertThat(reset.exitCode()).as(reset.output()).isZero();
        Matcher printed = Pattern.compile("New password for admin: (\\S+)").matcher(reset.output());
        assertThat(printed.find()).as(reset.output()).isTrue();
        String password = printed.group(1);

        try (StewardNode node = StewardNode.start(config)) {
            ApiClient api = new ApiClient(node.httpPort());
            assertThat(api.login("admin", TestNodes.ADMIN_PASSWORD).status()).isEqualTo(401);
            assertThat(api.login("admin", password).status()).isEqualTo(200);
            assertThat(api.get("/api/audit").json().get(0).get("actor").asText()).isEqualTo("command-line");
        }
    }

    private record Result(int exitCode, String output) {}

    /** Runs {@code steward-node reset-password} as its own process, as an operator would. */
    private Result resetPassword(String username, Path dataDir) throws IOException, InterruptedException {
        Path log = nodeDir.resolve("reset-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-cp", System.getProperty("java.class.path"),
                "io.steward.node.NodeMain", "reset-password", username, "--data-dir", dataDir.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished within a minute").isTrue();
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private static String token(String body) {
        Matcher link = LINK.matcher(body.replace("=\r\n", "").replace("=3D", "="));
        assertThat(link.find()).as(body).isTrue();
        return link.group(2);
    }

    private static String link(String body) {
        Matcher link = LINK.matcher(body.replace("=\r\n", "").replace("=3D", "="));
        assertThat(link.find()).as(body).isTrue();
        return link.group(1);
    }

    @Test
    void madeUpResetTokensAreRefusedBeforeAnyHashingSoLoginsStillWorkAndTheyAreThrottledPerAddress()
            throws Exception {
        // One hashing thread with a queue of one: before the token was checked first, a burst of resets took it.
        Config config = ConfigFactory.parseString("""
                steward.auth.bcrypt-cost = 10
                steward.auth.hashing-threads = 1
                steward.auth.hashing-queue = 1
                steward.auth.max-login-attempts-per-address = 45""").withFallback(TestNodes.h2(nodeDir)).resolve();
        try (StewardNode node = StewardNode.start(config)) {
            HttpClient http = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                burst.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort()
                                + "/api/auth/reset"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("""
                                {"token":"stw_reset_made-up-%d","password":"a long enough password"}""".formatted(i)))
                        .build(), HttpResponse.BodyHandlers.ofString()));
            }
            List<Integer> statuses = burst.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();
            assertThat(statuses).as("refused at once, none waiting for (or overflowing) the hashing pool")
                    .containsOnly(400);
            assertThat(new ApiClient(node.httpPort()).loginAsAdmin().status()).isEqualTo(200);

            ApiClient anonymous = new ApiClient(node.httpPort());
            String guess = "{\"token\":\"stw_reset_guess\",\"password\":\"a long enough password\"}";
            for (int i = 0; i < 5; i++) {
                assertThat(anonymous.post("/api/auth/reset", guess).status()).isEqualTo(400);
            }
            ApiClient.Response throttled = anonymous.post("/api/auth/reset", guess);
            assertThat(throttled.status()).isEqualTo(429);
            assertThat(throttled.raw().headers().firstValue("Retry-After")).isPresent();
            assertThat(RawHttp.postJson("127.0.0.2", node.httpPort(), "/api/auth/reset", guess).status())
                    .as("another address is not affected").isEqualTo(400);
        }
    }

    @Test
    void aResetLinkIsMailedOffTheDatabasePoolSoAHangingSmtpServerCannotStallIt() throws Exception {
        // An SMTP server that accepts connections and never answers: each send holds its thread until the timeout.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Config config = ConfigFactory.parseString("steward-blocking-dispatcher.thread-pool-executor"
                    + ".fixed-pool-size = 2").withFallback(TestNodes.h2(nodeDir)).resolve();
            try (StewardNode node = StewardNode.start(config)) {
                ApiClient admin = new ApiClient(node.httpPort());
                admin.loginAsAdmin();
                assertThat(admin.post("/api/channels", """
                        {"name":"Silent mail","type":"email","settings":{"host":"127.0.0.1","port":%d,"security":"none",
                         "from":"steward@example.org","to":["ops@example.org"]}}""".formatted(silent.getLocalPort()))
                        .status()).isEqualTo(201);
                for (int i = 0; i < 4; i++) {
                    admin.post("/api/users", """
                            {"username":"user%d","password":"a long enough password","role":"viewer",
                             "email":"user%d@example.org"}""".formatted(i, i)).json();
                }
                ApiClient anonymous = new ApiClient(node.httpPort());
                for (int i = 0; i < 4; i++) {
                    assertThat(anonymous.post("/api/auth/forgot", "{\"username\":\"user" + i + "\"}").status())
                            .isEqualTo(202);
                }
                // Two sends hang (as many as the database pool has threads): before, that pool was stalled.
                List<Socket> hanging = new ArrayList<>();
                try {
                    silent.setSoTimeout(200);
                    eventually(WAIT, () -> {
                        hanging.add(silent.accept());
                        assertThat(hanging).hasSizeGreaterThanOrEqualTo(2);
                    });
                    long started = System.nanoTime();
                    assertThat(admin.get("/api/users").status()).isEqualTo(200);
                    assertThat(Duration.ofNanos(System.nanoTime() - started))
                            .as("database work did not wait for SMTP").isLessThan(Duration.ofSeconds(3));
                } finally {
                    for (Socket socket : hanging) {
                        socket.close();
                    }
                }
            }
        }
    }
}
