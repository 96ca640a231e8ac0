package io.steward.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterTransportTest {
    @TempDir
    Path dir;

    @Test
    void aLoneNodeOnLoopbackKeepsPlainTcp() {
        Config config = ClusterTransport.apply(node(""));
        assertThat(config.getString("pekko.remote.artery.transport")).isEqualTo("tcp");
    }

    @Test
    void joiningOthersOrListeningBeyondLoopbackWithoutCertificatesIsRefused() {
        assertThatThrownBy(() -> ClusterTransport.apply(node("pekko.cluster.seed-nodes = [\"pekko://steward@10.0.0.1:25520\"]")))
                .isInstanceOf(ConfigException.BadValue.class).hasMessageContaining("--cluster-tls-dir");
        assertThatThrownBy(() -> ClusterTransport.apply(node("pekko.remote.artery.canonical.hostname = \"10.0.0.5\"")))
                .hasMessageContaining("insecure-transport");
        assertThatThrownBy(() -> ClusterTransport.apply(node("pekko.remote.artery.canonical.hostname = \"node-a.lan\"")))
                .as("a name counts as beyond loopback").hasMessageContaining("--cluster-tls-dir");
        Config insecure = ClusterTransport.apply(node("""
                pekko.remote.artery.canonical.hostname = "10.0.0.5"
                steward.cluster.insecure-transport = true"""));
        assertThat(insecure.getString("pekko.remote.artery.transport")).isEqualTo("tcp");
    }

    @Test
    void certificatesTurnOnMutualTlsAndAMissingFileIsNamed() throws Exception {
        Files.writeString(dir.resolve("tls.key"), "k");
        Files.writeString(dir.resolve("tls.crt"), "c");
        assertThatThrownBy(() -> ClusterTransport.apply(node("steward.cluster.tls.dir = \"" + dir + "\"")))
                .hasMessageContaining(dir.resolve("ca.crt").toString());
        Files.writeString(dir.resolve("ca.crt"), "a");
        Config config = ClusterTransport.apply(node("""
                steward.cluster.tls.dir = "%s"
                pekko.cluster.seed-nodes = ["pekko://steward@10.0.0.1:25520"]""".formatted(dir)));
        assertThat(config.getString("pekko.remote.artery.transport")).isEqualTo("tls-tcp");
        assertThat(config.getString("pekko.remote.artery.ssl.ssl-engine-provider")).endsWith("RotatingKeysSSLEngineProvider");
        assertThat(config.getBoolean("pekko.remote.artery.ssl.config-ssl-engine.require-mutual-authentication")).isTrue();
        assertThat(config.getString("pekko.remote.artery.ssl.rotating-keys-engine.ca-cert-file"))
                .isEqualTo(dir.resolve("ca.crt").toString());
    }

    private static Config node(String overrides) {
        return NodeConfig.load(ConfigFactory.parseString(overrides));
    }
}
