package io.steward.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.steward.node.testing.BrowserScript;
import io.steward.node.testing.InstallingNode;
import io.steward.node.testing.SshdHost;
import io.steward.node.testing.ThrowawayRoot;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installing an agent over SSH from the dashboard in a real headless Chromium ({@code frontend/e2e/ssh-install-e2e.mjs})
 * against a real node over HTTPS serving the built UI and agent bundle, and a real sshd in a throwaway root: the admin
 * checks the host key and sees the fingerprint ssh-keygen printed, confirms it, installs with root's password, follows
 * the log to its end and opens the new server's page, online. Screenshots land in
 * {@code cluster-node/target/e2e-screenshots/ssh-install/}.
 */
class SshInstallE2EIT {
    @TempDir
    Path dataDir;
    @TempDir
    Path downloads;
    @TempDir
    Path sshDir;

    @Test
    void anAdminInstallsAnAgentOverSshFromTheDashboardAndOpensTheOnlineServer() throws Exception {
        BrowserScript browser = BrowserScript.of("ssh-install-e2e.mjs", "e2e-screenshots/ssh-install");
        try (InstallingNode installing = InstallingNode.start(dataDir, downloads);
                SshdHost sshd = SshdHost.start(sshDir)) {
            String output = browser.run(installing.base(), Map.of(
                    "STEWARD_SSH_PORT", Integer.toString(sshd.port()),
                    "STEWARD_SSH_PASSWORD", SshdHost.ROOT_PASSWORD,
                    "STEWARD_SSH_FINGERPRINT", sshd.hostFingerprint()));
            assertThat(output).contains("STEP check-host-key ok", "STEP install ok", "STEP server-page ok");
            Matcher server = Pattern.compile("SERVER (\\S+)").matcher(output);
            assertThat(server.find()).as(output).isTrue();

            // What the browser showed is what the node holds: the server reports, and the key the admin confirmed
            // is pinned.
            JsonNode reported = installing.api().get("/api/servers/" + server.group(1)).json();
            assertThat(reported.get("online").asBoolean()).as(reported.toString()).isTrue();
            JsonNode key = installing.api().post("/api/ssh-installs/host-key",
                    "{\"host\":\"127.0.0.1\",\"port\":" + sshd.port() + "}").json();
            assertThat(key.get("state").asText()).isEqualTo("trusted");
            assertThat(key.get("pinnedFingerprint").asText()).isEqualTo(sshd.hostFingerprint());
            assertThat(browser.screenshots().resolve("ssh-host-key.png")).exists();
            assertThat(browser.screenshots().resolve("server-page.png")).exists();

            ThrowawayRoot.Result removed = sshd.root().run("sh /opt/steward-agent/share/install.sh --uninstall", 60);
            assertThat(removed.exitCode()).as(removed.output()).isZero();
        }
    }
}
