package io.steward.agent.config;

import io.steward.agent.AgentSettings;
import io.steward.agent.backup.BackupsConfig;
import io.steward.agent.link.HubTrust;
import io.steward.agent.link.StateDirectory;
import io.steward.agent.logging.LogOptions;
import io.steward.agent.services.ServicesConfig;
import io.steward.agent.simulate.Simulation;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns the command line, an optional {@code key = value} config file and the environment into
 * {@link AgentSettings}. Precedence: command-line flag, then (for the token only) {@code STEWARD_TOKEN}, then the
 * config file, then the default. Every problem is reported as one line naming the flag or the file and line.
 */
public final class SettingsParser {
    /** The environment variable that may carry the enrollment token, so it does not show in {@code ps}. */
    public static final String TOKEN_VARIABLE = "STEWARD_TOKEN";

    public static final String USAGE = """
            Usage: java -jar steward-agent.jar --hub ws://HOST:PORT/ws/agent --token TOKEN [options]

            Collects this machine's metrics and streams them to a Steward node.

            Options:
              --hub URL[,URL...]     the nodes' agent endpoints, wss:// (or ws:// on loopback/tests) (required):
                                     up to 16; the first is tried first, the next (in an order of this
                                     agent's own) at once when a connection is lost; the hubs a node names
                                     on connecting are remembered in the state directory
              --pin-sha256 FP[,...]  accept exactly the node certificates with these SHA-256 fingerprints
                                     (self-signed nodes: the fingerprints they print; wss:// only); pins the
                                     cluster announces over a connection so verified are trusted too
              --ca-file FILE         accept node certificates issued by the CA(s) in this PEM file
                                     (a private CA; wss:// only). Default: the JDK's public CAs
              --token TOKEN          enrollment token, needed only until the agent has enrolled and saved its
                                     credential; may also come from the environment variable STEWARD_TOKEN
              --interval DURATION    collection interval, 1s..60s; wins over the interval the node
                                     suggests, which applies without it (else 5s)
              --state-dir DIR        credential, machine id and spool (default ./steward-agent-state)
              --spool-max-age DUR    drop unsent reports older than this, 5m..30d (default 24h)
              --spool-max-bytes SIZE bound on the spool's size, 64KB..1TB (default 100MB)
              --top-processes N      processes each report lists by CPU and by memory, 1..100 (default 10)
              --config FILE          read the same keys from FILE (key = value lines, # comments);
                                     command-line flags override the file. SIGHUP, or a change to this
                                     file or the services file, reloads both: services, top-processes,
                                     interval and the log-* keys apply at once, the others need a restart
              --services FILE        the services this agent watches and may restart (JSON; see README)
              --backups FILE         what a node may back up from this machine and where to (JSON
                                     allow-lists; see README); without it the agent runs no backup
              --checks on|off        run the URL/TCP/TLS/DNS checks a node assigns (default on); off refuses
                                     every one, so this machine is never used as a probe
              --max-checks N         checks beyond this many are refused, 1..10000 (default 1000)
              --check-concurrency N  probes running at once, 1..256 (default 8)
              --check-reference URL  an http(s) URL tried every 30 s while checks run: when it gives no HTTP
                                     answer at all, the node counts this agent's failed checks as abstentions
                                     (its own network is down, not the sites). Default: none
              --log-file FILE        log to FILE (created 0640) instead of stderr, rotated by size
              --log-max-bytes SIZE   rotate the log file before it grows past this, 64KB..1GB (default 10MB)
              --log-max-files N      log files kept, the live one included, 1..100 (default 5)
              --log-level LEVEL      error, warn, info or debug (default info)
              --simulate N           run N synthetic agents (sim-0001...) instead of collecting this machine
                                     (they refuse every check)
              --help                 show this help
              --version              print the agent version

            Durations: 500ms, 5s, 2m, 24h, 7d. Sizes: 512KB, 100MB, 2GB (binary: 1MB = 1024 KB).
            Config keys: hub, token, interval, state-dir, spool-max-age, spool-max-bytes, services, backups,
            simulate, top-processes, pin-sha256, ca-file, checks, max-checks, check-concurrency, check-reference,
            log-file, log-max-bytes, log-max-files, log-level.
            Exit codes: 0 stopped normally, 1 the node rejected the enrollment token, 2 bad options.
            """;

    /** What the command line asks for. */
    public sealed interface Command permits Run, ShowHelp, ShowVersion {}

    /**
     * Run an agent.
     *
     * @param logging where and how much the standalone agent logs
     * @param configFile the {@code --config} file, or null: what a reload reads again besides the services file
     */
    public record Run(AgentSettings settings, LogOptions logging, Path configFile) implements Command {}

    public record ShowHelp() implements Command {}

    public record ShowVersion() implements Command {}

    /** The settings a config file and the command line may set. */
    enum Key {
        HUB("hub"),
        TOKEN("token"),
        INTERVAL("interval"),
        STATE_DIR("state-dir"),
        SPOOL_MAX_AGE("spool-max-age"),
        SPOOL_MAX_BYTES("spool-max-bytes"),
        SERVICES("services"),
        BACKUPS("backups"),
        SIMULATE("simulate"),
        TOP_PROCESSES("top-processes"),
        PIN_SHA256("pin-sha256"),
        CA_FILE("ca-file"),
        CHECKS("checks"),
        MAX_CHECKS("max-checks"),
        CHECK_CONCURRENCY("check-concurrency"),
        CHECK_REFERENCE("check-reference"),
        LOG_FILE("log-file"),
        LOG_MAX_BYTES("log-max-bytes"),
        LOG_MAX_FILES("log-max-files"),
        LOG_LEVEL("log-level");

        final String name;

        Key(String name) {
            this.name = name;
        }

        static Key named(String name) {
            for (Key key : values()) {
                if (key.name.equals(name)) {
                    return key;
                }
            }
            return null;
        }

        static String names() {
            return Arrays.stream(values()).map(key -> key.name).collect(Collectors.joining(", "));
        }
    }

    /** A value and where it came from, for messages. */
    record Value(String text, String origin) {}

    private SettingsParser() {}

    /**
     * Parses {@code args}.
     *
     * @param environment the process environment (for {@value #TOKEN_VARIABLE})
     * @throws SettingsException with a one-line explanation when anything is wrong
     */
    public static Command parse(List<String> args, Map<String, String> environment) throws SettingsException {
        if (args.contains("--help") || args.contains("-h")) {
            return new ShowHelp();
        }
        if (args.contains("--version")) {
            return new ShowVersion();
        }
        Map<Key, Value> flags = new EnumMap<>(Key.class);
        String configFile = null;
        for (int i = 0; i < args.size(); i++) {
            String argument = args.get(i);
            if (!argument.startsWith("--")) {
                throw new SettingsException("unexpected argument '" + argument + "' (options start with --)");
            }
            String name = argument.substring(2);
            String text = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                text = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            Key key = Key.named(name);
            if (key == null && !name.equals("config")) {
                throw new SettingsException("unknown option --" + name);
            }
            if (text == null) {
                if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                    throw new SettingsException("--" + name + " needs a value");
                }
                text = args.get(++i);
            }
            if (key == null) {
                if (configFile != null) {
                    throw new SettingsException("--config given twice");
                }
                configFile = text;
            } else if (flags.put(key, new Value(text, "--" + name)) != null) {
                throw new SettingsException("--" + name + " given twice");
            }
        }
        Map<Key, Value> file = configFile == null ? Map.of() : readConfigFile(configFile);
        Map<Key, Value> merged = new EnumMap<>(Key.class);
        merged.putAll(file);
        String environmentToken = environment.get(TOKEN_VARIABLE);
        if (environmentToken != null && !environmentToken.isBlank() && !flags.containsKey(Key.TOKEN)) {
            merged.put(Key.TOKEN, new Value(environmentToken.trim(), TOKEN_VARIABLE));
        }
        merged.putAll(flags);
        return new Run(toSettings(merged), LogFlags.parse(merged), configFile == null ? null : Path.of(configFile));
    }

    /** Reads {@code key = value} lines; blank lines and lines starting with # are ignored. */
    static Map<Key, Value> readConfigFile(String file) throws SettingsException {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | InvalidPathException e) {
            throw new SettingsException("--config: cannot read " + file + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
        }
        Map<Key, Value> values = new EnumMap<>(Key.class);
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + " line " + number;
            int equals = line.indexOf('=');
            if (equals < 0) {
                throw new SettingsException(where + ": expected 'key = value', got '" + line + "'");
            }
            String name = line.substring(0, equals).strip().toLowerCase(Locale.ROOT);
            Key key = Key.named(name);
            if (key == null) {
                throw new SettingsException(where + ": unknown key '" + name + "' (known keys: " + Key.names() + ")");
            }
            String text = unquote(line.substring(equals + 1).strip());
            if (values.put(key, new Value(text, name + " (" + where + ")")) != null) {
                throw new SettingsException(where + ": '" + name + "' set twice");
            }
        }
        return values;
    }

    private static String unquote(String text) {
        if (text.length() >= 2 && (text.startsWith("\"") && text.endsWith("\"")
                || text.startsWith("'") && text.endsWith("'"))) {
            return text.substring(1, text.length() - 1);
        }
        return text;
    }

    private static AgentSettings toSettings(Map<Key, Value> values) throws SettingsException {
        AgentSettings.Builder builder = AgentSettings.builder();
        List<URI> hubs = HubFlag.parse(values.get(Key.HUB));
        builder.hubs(hubs);
        HubTrust trust = trust(values.get(Key.PIN_SHA256), values.get(Key.CA_FILE));
        try {
            AgentSettings.checkTrust(hubs, trust);
        } catch (IllegalArgumentException e) {
            throw new SettingsException("--" + e.getMessage());
        }
        builder.trust(trust);

        Value interval = values.get(Key.INTERVAL);
        if (interval != null) {
            Duration parsed = duration(interval);
            check(() -> AgentSettings.checkBetween(interval.origin(), parsed, AgentSettings.MINIMUM_INTERVAL,
                    AgentSettings.MAXIMUM_INTERVAL, interval.text()));
            builder.interval(parsed);
        }
        Value maxAge = values.get(Key.SPOOL_MAX_AGE);
        if (maxAge != null) {
            Duration parsed = duration(maxAge);
            check(() -> AgentSettings.checkBetween(maxAge.origin(), parsed, AgentSettings.MINIMUM_SPOOL_MAX_AGE,
                    AgentSettings.MAXIMUM_SPOOL_MAX_AGE, maxAge.text()));
            builder.spoolMaxAge(parsed);
        }
        Value maxBytes = values.get(Key.SPOOL_MAX_BYTES);
        if (maxBytes != null) {
            long parsed = size(maxBytes);
            check(() -> AgentSettings.checkBytesBetween(maxBytes.origin(), parsed, maxBytes.text()));
            builder.spoolMaxBytes(parsed);
        }
        Value topProcesses = values.get(Key.TOP_PROCESSES);
        if (topProcesses != null) {
            int parsed;
            try {
                parsed = Integer.parseInt(topProcesses.text().strip());
            } catch (NumberFormatException e) {
                throw new SettingsException(topProcesses.origin() + " must be a whole number between "
                        + AgentSettings.MINIMUM_TOP_PROCESSES + " and " + AgentSettings.MAXIMUM_TOP_PROCESSES
                        + ", got '" + topProcesses.text() + "'");
            }
            check(() -> AgentSettings.checkTopProcesses(topProcesses.origin(), parsed, topProcesses.text()));
            builder.topProcesses(parsed);
        }
        Path stateDirectory = AgentSettings.DEFAULT_STATE_DIRECTORY;
        Value state = values.get(Key.STATE_DIR);
        if (state != null) {
            if (state.text().isBlank()) {
                throw new SettingsException(state.origin() + " must not be empty");
            }
            try {
                stateDirectory = Path.of(state.text());
            } catch (InvalidPathException e) {
                throw new SettingsException(state.origin() + " is not a valid path: " + e.getMessage());
            }
            builder.stateDirectory(stateDirectory);
        }
        // A mistake in either file is a bad option (exit 2), said now rather than at the first use.
        Value services = values.get(Key.SERVICES);
        if (services != null) {
            builder.servicesFile(checkedFile(services, ServicesConfig::load));
        }
        Value backups = values.get(Key.BACKUPS);
        if (backups != null) {
            builder.backupsFile(checkedFile(backups, BackupsConfig::load));
        }
        builder.checks(CheckFlags.parse(values));
        int simulated = 0;
        Value simulate = values.get(Key.SIMULATE);
        if (simulate != null) {
            try {
                simulated = Integer.parseInt(simulate.text().strip());
            } catch (NumberFormatException e) {
                simulated = -1;
            }
            if (simulated < 1 || simulated > AgentSettings.MAXIMUM_SIMULATED_AGENTS) {
                throw new SettingsException(simulate.origin() + " must be a number of agents between 1 and "
                        + AgentSettings.MAXIMUM_SIMULATED_AGENTS + ", got '" + simulate.text() + "'");
            }
            builder.simulatedAgents(simulated);
            builder.inMemorySpool(true);
        }
        Value token = values.get(Key.TOKEN);
        if (token != null) {
            if (token.text().isBlank()) {
                throw new SettingsException(token.origin() + " must not be empty");
            }
            builder.token(token.text().strip());
        } else if (!credentialsSaved(stateDirectory, simulated)) {
            throw new SettingsException("--token is required until the agent has enrolled (no credential saved in "
                    + stateDirectory.toAbsolutePath().normalize() + "); it may also come from " + TOKEN_VARIABLE
                    + " or the config file");
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new SettingsException("--" + e.getMessage());
        }
    }

    /** The pin or the CA file (not both: each alone says which certificates to accept), else the public CAs. */
    private static HubTrust trust(Value pin, Value caFile) throws SettingsException {
        if (pin != null && caFile != null) {
            throw new SettingsException(pin.origin() + " and " + caFile.origin() + " exclude each other: pin the "
                    + "node's own certificate, or trust the CA that issued it");
        }
        if (pin != null) {
            return new HubTrust.Pinned(PinFlag.parse(pin));
        }
        if (caFile != null) {
            HubTrust.AuthorityFile file;
            try {
                file = new HubTrust.AuthorityFile(Path.of(caFile.text()));
            } catch (InvalidPathException e) {
                throw new SettingsException(caFile.origin() + " is not a valid path: " + e.getMessage());
            }
            try {
                file.authorities();
            } catch (IOException e) {
                throw new SettingsException(caFile.origin() + ": " + e.getMessage());
            }
            return file;
        }
        return new HubTrust.PublicAuthorities();
    }

    /** How a JSON option file is read and checked; its exception message names the mistake. */
    private interface FileCheck {
        void load(Path file) throws IOException;
    }

    private static Path checkedFile(Value value, FileCheck check) throws SettingsException {
        Path file;
        try {
            file = Path.of(value.text());
        } catch (InvalidPathException e) {
            throw new SettingsException(value.origin() + " is not a valid path: " + e.getMessage());
        }
        if (!Files.isReadable(file)) {
            throw new SettingsException(value.origin() + ": cannot read " + file);
        }
        try {
            check.load(file);
        } catch (IOException e) {
            throw new SettingsException(value.origin() + ": " + e.getMessage());
        }
        return file;
    }

    private static boolean credentialsSaved(Path stateDirectory, int simulated) {
        if (simulated == 0) {
            return StateDirectory.hasCredential(stateDirectory);
        }
        for (int number = 1; number <= simulated; number++) {
            if (!StateDirectory.hasCredential(stateDirectory.resolve(Simulation.agentName(number)))) {
                return false;
            }
        }
        return true;
    }

    private static Duration duration(Value value) throws SettingsException {
        try {
            return Quantities.parseDuration(value.text());
        } catch (IllegalArgumentException e) {
            throw new SettingsException(value.origin() + " " + e.getMessage() + ", got '" + value.text() + "'");
        }
    }

    /** A size ({@code 64MiB}, {@code 1048576}), or a settings error naming where it came from. */
    static long size(Value value) throws SettingsException {
        try {
            return Quantities.parseSize(value.text());
        } catch (IllegalArgumentException e) {
            throw new SettingsException(value.origin() + " " + e.getMessage() + ", got '" + value.text() + "'");
        }
    }

    /** A validation that throws {@link IllegalArgumentException} with a message naming the setting. */
    interface Check {
        void run();
    }

    /** Runs {@code check}, its refusal as a settings error (the message is already the user's). */
    static void check(Check check) throws SettingsException {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            throw new SettingsException(e.getMessage());
        }
    }
}
