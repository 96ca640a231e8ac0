package io.steward.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;

class NodeMainTest {

    @Test
    void flagsBecomeConfigOverrides() throws Exception {
        Config config = NodeMain.parse(new String[] {"--http-port", "9090", "--bind", "127.0.0.1", "--data-dir",
                "/tmp/s", "--db-url", "jdbc:postgresql://127.0.0.1:5432/steward", "--db-user", "u",
                "--local-agent", "--cluster-port", "25520", "--seed-nodes", "10.0.0.1:25520,10.0.0.2:25520"});
        assertThat(config.getInt("steward.http.port")).isEqualTo(9090);
        assertThat(config.getString("steward.http.bind")).isEqualTo("127.0.0.1");
        assertThat(config.getString("steward.data-dir")).isEqualTo("/tmp/s");
        assertThat(config.getString("steward.db.url")).startsWith("jdbc:postgresql://");
        assertThat(config.getBoolean("steward.local-agent.enabled")).isTrue();
        assertThat(config.getStringList("pekko.cluster.seed-nodes"))
                .containsExactly("pekko://steward@10.0.0.1:25520", "pekko://steward@10.0.0.2:25520");
    }

    @Test
    void badFlagsSayWhatIsWrong() {
        assertThatThrownBy(() -> NodeMain.parse(new String[] {"--http-port", "http"}))
                .hasMessageContaining("--http-port must be a port number");
        assertThatThrownBy(() -> NodeMain.parse(new String[] {"--http-port"}))
                .hasMessageContaining("needs a value");
        assertThatThrownBy(() -> NodeMain.parse(new String[] {"--db-url", "mysql://x"}))
                .hasMessageContaining("jdbc:postgresql://");
        assertThatThrownBy(() -> NodeMain.parse(new String[] {"--frobnicate"}))
                .hasMessageContaining("unknown option '--frobnicate'");
        assertThatThrownBy(() -> NodeMain.parse(new String[] {"--seed-nodes", "10.0.0.1:25520"}))
                .hasMessageContaining("needs --cluster-port");
        assertThatThrownBy(() -> NodeMain.parse(new String[] {"--seed-nodes", "nohost"}))
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> NodeMain.parse(new String[] {"--config", "/nonexistent/steward.conf"}))
                .hasMessageContaining("cannot read");
    }

    @Test
    void defaultsAreSafeAndDocumented() {
        Config config = NodeConfig.load(com.typesafe.config.ConfigFactory.empty());
        assertThat(config.getInt("steward.http.port")).isEqualTo(8080);
        assertThat(config.getBytes("steward.ingest.max-frame")).isEqualTo(1024L * 1024);
        assertThat(config.getInt("steward.server.offline-after-missed-reports")).isEqualTo(3);
        assertThat(config.getBoolean("steward.http.secure-cookies")).isFalse();
        assertThat(config.getString("pekko-persistence-jdbc.shared-databases.default.db.url"))
                .startsWith("jdbc:h2:file:").contains("DATABASE_TO_UPPER=FALSE");
    }

    @Test
    void tlsFlagsBecomeConfigOverrides(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory)
            throws Exception {
        java.nio.file.Path cert = java.nio.file.Files.writeString(directory.resolve("cert.pem"), "x");
        java.nio.file.Path key = java.nio.file.Files.writeString(directory.resolve("key.pem"), "x");
        Config config = NodeMain.parse(new String[] {"--tls-cert", cert.toString(), "--tls-key", key.toString(),
                "--redirect-port", "8081", "--public-url", "https://steward.example.com"});
        assertThat(config.getString("steward.http.tls.cert-file")).isEqualTo(cert.toString());
        assertThat(config.getString("steward.http.tls.key-file")).isEqualTo(key.toString());
        assertThat(config.getInt("steward.http.redirect-port")).isEqualTo(8081);
        assertThat(config.getString("steward.http.public-url")).isEqualTo("https://steward.example.com");
        assertThat(NodeMain.parse(new String[] {"--no-tls"}).getString("steward.http.tls.mode")).isEqualTo("off");
        assertThatThrownBy(() -> NodeMain.parse(new String[] {"--tls-cert", cert.toString()}))
                .hasMessageContaining("--tls-cert and --tls-key go together");
        assertThatThrownBy(() -> NodeMain.parse(new String[] {"--tls-cert", "/nonexistent.pem", "--tls-key",
                key.toString()})).hasMessageContaining("--tls-cert: cannot read /nonexistent.pem");
        assertThatThrownBy(() -> NodeMain.parse(new String[] {"--tls-cert", cert.toString(), "--tls-key",
                key.toString(), "--no-tls"})).hasMessageContaining("--no-tls contradicts --tls-cert");
        assertThatThrownBy(() -> NodeMain.parse(new String[] {"--public-url", "steward.example.com"}))
                .hasMessageContaining("--public-url must be an http:// or https:// URL");
    }

    @Test
    void tlsDefaultsAreSecure() {
        Config config = NodeConfig.load(com.typesafe.config.ConfigFactory.empty());
        assertThat(config.getString("steward.http.tls.mode")).isEqualTo("auto");
        assertThat(config.getString("steward.http.bind")).isEqualTo("0.0.0.0");
        assertThat(io.steward.node.tls.TlsSettings.fromConfig(config).plan("0.0.0.0"))
                .isInstanceOf(io.steward.node.tls.TlsSettings.SelfSigned.class);
        assertThat(io.steward.node.http.HttpSettings.fromConfig(config).secureCookies())
                .as("cookies are Secure when the node serves HTTPS").isTrue();
        assertThat(config.getInt("steward.http.redirect-port")).isZero();
    }
}
