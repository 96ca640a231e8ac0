package io.steward.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How nodes talk to each other. The cluster port carries every command an entity takes (restart a service, run a
 * backup), so anything that can reach it must prove it belongs: with {@code steward.cluster.tls.dir} the transport
 * is Artery over TLS 1.3 with mutual authentication, each node presenting a certificate issued by the cluster's own
 * CA (Pekko's {@code RotatingKeysSSLEngineProvider}: PEM files re-read as they are renewed, and a peer must share a
 * subject name with this node's certificate). Without it the transport is plain TCP, allowed only while the node is
 * alone on loopback; a node that joins others or listens beyond loopback refuses to start unless
 * {@code steward.cluster.insecure-transport} says so explicitly.
 */
public final class ClusterTransport {
    static final String KEY_FILE = "tls.key";
    static final String CERT_FILE = "tls.crt";
    static final String CA_FILE = "ca.crt";
    private static final String PROVIDER = "org.apache.pekko.remote.artery.tcp.ssl.RotatingKeysSSLEngineProvider";

    private ClusterTransport() {}

    /** {@code config} with the transport chosen; a {@link ConfigException.BadValue} says what is missing. */
    public static Config apply(Config config) {
        String dir = config.getString("steward.cluster.tls.dir");
        if (dir.isBlank()) {
            if (reachesBeyondThisMachine(config) && !config.getBoolean("steward.cluster.insecure-transport")) {
                throw new ConfigException.BadValue("steward.cluster.tls.dir", "a node that joins other nodes or "
                        + "listens for them beyond loopback needs the cluster's certificates (--cluster-tls-dir DIR "
                        + "with " + KEY_FILE + ", " + CERT_FILE + " and " + CA_FILE + "; see the README), or "
                        + "steward.cluster.insecure-transport = true to run the cluster port unauthenticated");
            }
            return config;
        }
        Path directory = Path.of(dir).toAbsolutePath();
        for (String name : List.of(KEY_FILE, CERT_FILE, CA_FILE)) {
            if (!Files.isReadable(directory.resolve(name))) {
                throw new ConfigException.BadValue("steward.cluster.tls.dir", "cannot read " + directory.resolve(name)
                        + " (the directory holds this node's key " + KEY_FILE + ", its certificate " + CERT_FILE
                        + " and the cluster CA's certificate " + CA_FILE + ", all PEM)");
            }
        }
        String engine = "pekko.remote.artery.ssl.rotating-keys-engine.";
        Map<String, Object> keys = Map.of(
                "pekko.remote.artery.transport", "tls-tcp",
                "pekko.remote.artery.ssl.ssl-engine-provider", PROVIDER,
                engine + "key-file", directory.resolve(KEY_FILE).toString(),
                engine + "cert-file", directory.resolve(CERT_FILE).toString(),
                engine + "ca-cert-file", directory.resolve(CA_FILE).toString());
        Config transport = ConfigFactory.empty();
        for (Map.Entry<String, Object> key : keys.entrySet()) {
            transport = transport.withValue(key.getKey(), ConfigValueFactory.fromAnyRef(key.getValue()));
        }
        return transport.withFallback(config);
    }

    /** Whether the cluster port is meant for other machines: seed nodes to join, or a non-loopback address. */
    static boolean reachesBeyondThisMachine(Config config) {
        if (!config.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
            return true;
        }
        String host = config.getString("pekko.remote.artery.canonical.hostname");
        String bind = config.hasPath("pekko.remote.artery.bind.hostname")
                ? config.getString("pekko.remote.artery.bind.hostname") : "";
        return !loopback(host) || !bind.isBlank() && !loopback(bind);
    }

    private static boolean loopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        try {
            // Literal addresses only: a name is not looked up here (it may not resolve yet) and counts as remote.
            return host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?") && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
