package io.steward.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.steward.core.runtime.CommonPool;
import io.steward.node.tls.CertifiedKey;
import io.steward.node.tls.NodeTls;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar steward-node.jar [flags]}: starts a node, prints where to log in, and runs until SIGTERM.
 * Flags override the config file, which overrides environment variables and built-in defaults.
 */
public final class NodeMain {
    private static final String USAGE = """
            Usage: java -jar steward-node.jar [options]
                   java -jar steward-node.jar reset-password USER [--data-dir DIR | --db-url URL ...]

              --http-port PORT       HTTP port for the dashboard, API and agents (default 8080)
              --bind ADDRESS         address to listen on (default 0.0.0.0)
              --tls-cert FILE        PEM certificate chain to serve HTTPS with (reloaded when it changes)
              --tls-key FILE         PEM private key of that certificate (PKCS#8, or PKCS#1 RSA)
                                     Without them a node bound beyond loopback serves HTTPS with a
                                     self-signed certificate it makes once (kept in DATA-DIR/tls)
              --no-tls               plain HTTP even beyond loopback (only behind a proxy that terminates TLS)
              --redirect-port PORT   also answer plain HTTP on PORT, with a redirect to HTTPS only
              --public-url URL       the address users and agents reach the node at (https://host:port);
                                     Host headers must name it (or the bind address)
              --data-dir DIR         embedded database and node state (default ./steward-data)
              --db-url URL           jdbc:postgresql://HOST:PORT/DB to use PostgreSQL instead of embedded H2
              --db-user USER         PostgreSQL user
              --db-password PASS     PostgreSQL password (prefer STEWARD_DB_PASSWORD)
              --local-agent          also monitor this machine with a built-in agent
              --cluster-host HOST    address other nodes reach this one at (default 127.0.0.1)
              --cluster-port PORT    cluster port (default: any free port; fix it for multi-node)
              --seed-nodes LIST      comma-separated host:port of nodes to join (multi-node, PostgreSQL only)
              --cluster-tls-dir DIR  tls.key, tls.crt and ca.crt (PEM) of this node: mutual TLS between nodes
                                     (required with --seed-nodes or a non-loopback --cluster-host)
              --config FILE          HOCON file with steward.* keys (see README)
              --help                 this text

            Environment: STEWARD_ADMIN_PASSWORD sets the first admin's password (else one is generated and
            printed once); STEWARD_DB_URL / STEWARD_DB_USER / STEWARD_DB_PASSWORD; STEWARD_DATA_DIR.
            """;

    private NodeMain() {}

    public static void main(String[] args) {
        CommonPool.atLeast(2);
        if (args.length > 0 && args[0].equals("reset-password")) {
            int status = ResetPasswordCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err);
            NodeLogging.flush();
            System.exit(status);
            return;
        }
        Config overrides;
        try {
            overrides = parse(args);
        } catch (UsageException e) {
            if (e.getMessage() == null) {
                System.out.print(USAGE);
                System.exit(0);
            }
            System.err.println("steward-node: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        Config config;
        StewardNode node;
        try {
            // The process's end is NodeProcess's: exit-jvm stays off, so the JVM never exits before the database
            // is shut down (and tests, running nodes in-process, never exit at all: STACK P7).
            config = NodeConfig.load(overrides);
            node = StewardNode.start(config);
        } catch (Exception e) {
            NodeLogging.flush(); // what the failed start logged, before its summary
            System.err.println("steward-node: could not start: " + rootMessage(e));
            e.printStackTrace(System.err);
            System.exit(1);
            return;
        }
        LocalAgent localAgent = config.getBoolean("steward.local-agent.enabled") ? LocalAgent.start(node) : null;
        NodeProcess.own(node, System.out);
        // One write: log lines still queued for the console (ConsoleQueue) come before or after it, not inside it.
        ByteArrayOutputStream banner = new ByteArrayOutputStream();
        printBanner(new PrintStream(banner, true, StandardCharsets.UTF_8), node, localAgent != null);
        System.out.print(banner.toString(StandardCharsets.UTF_8));
        System.out.flush();
    }

    static void printBanner(PrintStream out, StewardNode node, boolean localAgent) {
        String host = node.config().getString("steward.http.bind");
        String shownHost = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        shownHost = shownHost.contains(":") ? "[" + shownHost + "]" : shownHost;
        String url = node.publicUrl() + "/";
        out.println();
        out.println("Steward node is up (" + node.database().kind() + " database).");
        out.println("  Dashboard and API: " + url);
        node.tls().ifPresent(tls -> {
            CertifiedKey served = tls.current();
            if (served.selfSigned()) {
                out.println("  Certificate:       self-signed" + (tls.generated() ? ", made now and kept in the data"
                        + " directory" : "") + "; browsers warn until you accept it");
                out.println("                     SHA-256 fingerprint " + served.pin());
            } else {
                out.println("  Certificate:       " + served.leaf().getSubjectX500Principal().getName()
                        + ", valid until " + served.leaf().getNotAfter().toInstant());
            }
        });
        node.redirectPort().ifPresent(port -> out.println("  Plain HTTP:        port " + port
                + " redirects to HTTPS"));
        if (node.generatedAdminPassword().isPresent()) {
            out.println("  Login:             admin / " + node.generatedAdminPassword().get()
                    + "   (generated; shown only this once)");
        } else {
            out.println("  Login:             admin / (the password set at first start, e.g. STEWARD_ADMIN_PASSWORD)");
        }
        String scheme = node.tls().isPresent() ? "wss://" : "ws://";
        out.println("  Agents connect to: " + scheme + shownHost + ":" + node.httpPort() + "/ws/agent"
                + node.tls().flatMap(NodeTls::selfSignedPin).map(pin -> " --pin-sha256 " + pin).orElse(""));
        if (localAgent) {
            out.println("  A local agent is monitoring this machine.");
        }
        out.println();
        out.flush();
    }

    static Config parse(String[] args) throws UsageException {
        Map<String, Object> keys = new LinkedHashMap<>();
        Config file = ConfigFactory.empty();
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--help", "-h" -> throw new UsageException(null);
                case "--local-agent" -> keys.put("steward.local-agent.enabled", true);
                case "--http-port" -> keys.put("steward.http.port", port(flag, value(args, ++i, flag)));
                case "--bind" -> keys.put("steward.http.bind", value(args, ++i, flag));
                case "--tls-cert" -> keys.put("steward.http.tls.cert-file", readable(flag, value(args, ++i, flag)));
                case "--tls-key" -> keys.put("steward.http.tls.key-file", readable(flag, value(args, ++i, flag)));
                case "--no-tls" -> keys.put("steward.http.tls.mode", "off");
                case "--redirect-port" -> keys.put("steward.http.redirect-port", port(flag, value(args, ++i, flag)));
                case "--public-url" -> {
                    String url = value(args, ++i, flag);
                    if (!url.matches("https?://[^/\\s]+(/\\S*)?")) {
                        throw new UsageException("--public-url must be an http:// or https:// URL, e.g. "
                                + "https://steward.example.com, got '" + url + "'");
                    }
                    keys.put("steward.http.public-url", url);
                }
                case "--data-dir" -> keys.put("steward.data-dir", value(args, ++i, flag));
                case "--db-url" -> {
                    String url = value(args, ++i, flag);
                    if (!url.startsWith("jdbc:postgresql://") && !url.startsWith("jdbc:h2:")) {
                        throw new UsageException("--db-url must start with jdbc:postgresql:// (or jdbc:h2:)");
                    }
                    keys.put("steward.db.url", url);
                }
                case "--db-user" -> keys.put("steward.db.user", value(args, ++i, flag));
                case "--db-password" -> keys.put("steward.db.password", value(args, ++i, flag));
                case "--cluster-host" -> keys.put("pekko.remote.artery.canonical.hostname", value(args, ++i, flag));
                case "--cluster-port" -> keys.put("pekko.remote.artery.canonical.port", port(flag, value(args, ++i, flag)));
                case "--cluster-tls-dir" -> keys.put("steward.cluster.tls.dir", value(args, ++i, flag));
                case "--seed-nodes" -> {
                    for (String seed : value(args, ++i, flag).split(",")) {
                        if (!seed.matches("[^:\\s]+:\\d{1,5}")) {
                            throw new UsageException("--seed-nodes takes host:port[,host:port...], got '" + seed + "'");
                        }
                        seeds.add(seed.trim());
                    }
                }
                case "--config" -> {
                    Path path = Path.of(value(args, ++i, flag));
                    if (!Files.isReadable(path)) {
                        throw new UsageException("--config: cannot read " + path);
                    }
                    try {
                        file = ConfigFactory.parseFile(path.toFile());
                    } catch (com.typesafe.config.ConfigException e) {
                        throw new UsageException("--config: " + e.getMessage());
                    }
                }
                default -> throw new UsageException("unknown option '" + flag + "'");
            }
        }
        if (keys.containsKey("steward.http.tls.cert-file") != keys.containsKey("steward.http.tls.key-file")) {
            throw new UsageException("--tls-cert and --tls-key go together: give both");
        }
        if (keys.containsKey("steward.http.tls.cert-file") && keys.containsKey("steward.http.tls.mode")) {
            throw new UsageException("--no-tls contradicts --tls-cert");
        }
        Config overrides = ConfigFactory.parseMap(keys);
        if (!seeds.isEmpty() && !keys.containsKey("pekko.remote.artery.canonical.port")) {
            throw new UsageException("--seed-nodes needs --cluster-port, so the other nodes can reach this one");
        }
        if (!seeds.isEmpty()) {
            String systemName = file.hasPath("steward.cluster.name") ? file.getString("steward.cluster.name") : "steward";
            overrides = overrides.withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(
                    seeds.stream().map(seed -> "pekko://" + systemName + "@" + seed).toList()));
        }
        return overrides.withFallback(file);
    }

    private static String value(String[] args, int index, String flag) throws UsageException {
        if (index >= args.length || args[index].startsWith("--")) {
            throw new UsageException(flag + " needs a value");
        }
        return args[index];
    }

    private static String readable(String flag, String file) throws UsageException {
        if (!Files.isReadable(Path.of(file))) {
            throw new UsageException(flag + ": cannot read " + file);
        }
        return file;
    }

    private static int port(String flag, String text) throws UsageException {
        try {
            int port = Integer.parseInt(text);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " must be a port number 0..65535, got '" + text + "'");
        }
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    /** A command-line mistake; a null message means "show help". */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }
}
