package io.steward.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.steward.agent.AgentSettings;
import io.steward.agent.checks.CheckOptions;
import io.steward.agent.link.HubTrust;
import io.steward.agent.link.StateDirectory;
import io.steward.agent.logging.LogLevel;
import io.steward.agent.logging.LogOptions;
import io.steward.core.tls.CertificatePin;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsParserTest {
    private static final String HUB = "ws://10.0.0.5:8080/ws/agent";
    private static final String FINGERPRINT =
            "B8:16:78:6B:FE:98:C6:C6:F9:67:57:75:41:76:26:FC:73:1A:2B:82:07:ED:00:B2:0B:B3:CA:B4:22:F1:1B:13";

    @TempDir
    Path directory;

    private AgentSettings parse(Map<String, String> environment, String... args) throws SettingsException {
        return ((SettingsParser.Run) SettingsParser.parse(List.of(args), environment)).settings();
    }

    private AgentSettings parse(String... args) throws SettingsException {
        return parse(Map.of(), args);
    }

    private String failure(String... args) {
        try {
            SettingsParser.parse(List.of(args), Map.of());
        } catch (SettingsException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a settings error for " + List.of(args));
    }

    @Test
    void aServicesFileIsCheckedWhenTheOptionsAre() throws Exception {
        Path good = directory.resolve("services.json");
        java.nio.file.Files.writeString(good, "{\"systemd\": [\"nginx\"]}");
        assertThat(parse("--hub", HUB, "--token", "t", "--services", good.toString()).servicesFile()).isEqualTo(good);
        Path bad = directory.resolve("bad.json");
        java.nio.file.Files.writeString(bad, "{\"processes\": [{\"name\": \"w\", \"start\": \"rm -rf /\"}]}");
        assertThat(failure("--hub", HUB, "--token", "t", "--services", bad.toString()))
                .startsWith("--services: ").contains("needs a pidfile or a pattern");
        assertThat(failure("--hub", HUB, "--token", "t", "--services", directory.resolve("none.json").toString()))
                .contains("cannot read");
    }

    @Test
    void aBackupsFileIsCheckedWhenTheOptionsAreAndBadOnesExitWithTwo() throws Exception {
        assertThat(parse("--hub", HUB, "--token", "t").backupsFile()).isNull();
        Path good = directory.resolve("backups.json");
        Files.writeString(good, "{\"allowSources\": [\"/srv\"], \"allowDestinations\": [\"backup.example.com\"]}");
        assertThat(parse("--hub", HUB, "--token", "t", "--backups", good.toString()).backupsFile()).isEqualTo(good);
        Path conf = directory.resolve("agent.conf");
        Files.writeString(conf, "hub = " + HUB + "\ntoken = t\nbackups = " + good + "\n");
        assertThat(parse("--config", conf.toString()).backupsFile()).isEqualTo(good);

        Path bad = directory.resolve("bad-backups.json");
        Files.writeString(bad, "{\"allowSources\": [\"srv\"], \"allowDestinations\": [\"b\"]}");
        assertThat(failure("--hub", HUB, "--token", "t", "--backups", bad.toString()))
                .startsWith("--backups: ").contains("allowSources[0]: 'srv' is not an absolute path");
        assertThat(failure("--hub", HUB, "--token", "t", "--backups", directory.resolve("none.json").toString()))
                .isEqualTo("--backups: cannot read " + directory.resolve("none.json"));
        Files.setPosixFilePermissions(good, PosixFilePermissions.fromString("rw-rw-r--"));
        assertThat(failure("--hub", HUB, "--token", "t", "--backups", good.toString()))
                .isEqualTo("--backups: " + good + " is writable by other users (rw-rw-r--); it decides what the agent"
                        + " runs and reads: chmod go-w " + good);
    }

    @Test
    void minimalCommandLineGetsTheDefaults() throws Exception {
        AgentSettings settings = parse("--hub", HUB, "--token", "t0k3n");
        assertThat(settings.hub()).isEqualTo(URI.create(HUB));
        assertThat(settings.token()).isEqualTo("t0k3n");
        assertThat(settings.interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.localInterval()).as("no --interval: the node's suggestion applies").isEmpty();
        assertThat(settings.stateDirectory()).isEqualTo(Path.of("steward-agent-state"));
        assertThat(settings.spoolMaxAge()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.spoolMaxBytes()).isEqualTo(100L << 20);
        assertThat(settings.simulatedAgents()).isZero();
        assertThat(settings.inMemorySpool()).isFalse();
        assertThat(settings.toString()).doesNotContain("t0k3n");
    }

    @Test
    void everyFlagInBothSpellings() throws Exception {
        AgentSettings settings = parse("--hub=wss://steward.example.com/ws/agent", "--token", "t",
                "--interval", "10s", "--state-dir=" + directory, "--spool-max-age", "2h",
                "--spool-max-bytes", "10MB");
        assertThat(settings.hub().getScheme()).isEqualTo("wss");
        assertThat(settings.interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.localInterval()).contains(Duration.ofSeconds(10));
        assertThat(settings.stateDirectory()).isEqualTo(directory);
        assertThat(settings.spoolMaxAge()).isEqualTo(Duration.ofHours(2));
        assertThat(settings.spoolMaxBytes()).isEqualTo(10L << 20);
    }

    @Test
    void hubTakesACommaSeparatedListInItsOrderWithoutDuplicates() throws Exception {
        String second = "wss://node-2.example.com/ws/agent";
        AgentSettings settings = parse("--hub", HUB + ", " + second + "," + HUB, "--token", "t");
        assertThat(settings.hubs()).containsExactly(URI.create(HUB), URI.create(second));
        assertThat(settings.hub()).isEqualTo(URI.create(HUB));

        Path conf = directory.resolve("agent.conf");
        Files.writeString(conf, "hub = " + second + "," + HUB + "\ntoken = t\n");
        assertThat(parse("--config", conf.toString()).hubs()).containsExactly(URI.create(second), URI.create(HUB));
        // The one-hub form is unchanged.
        assertThat(parse("--hub", HUB, "--token", "t").hubs()).containsExactly(URI.create(HUB));
    }

    @Test
    void aBadEntryInTheHubListIsNamed() throws Exception {
        assertThat(failure("--hub", HUB + ",http://10.0.0.6:8080/ws/agent", "--token", "t"))
                .isEqualTo("--hub entry 2 must be a ws:// or wss:// address, e.g. ws://10.0.0.5:8080/ws/agent, got "
                        + "http://10.0.0.6:8080/ws/agent");
        assertThat(failure("--hub", HUB + ",,ws://10.0.0.6:8080/ws/agent", "--token", "t"))
                .isEqualTo("--hub entry 2 is empty (hubs are separated by single commas)");
        assertThat(failure("--hub", HUB + ",", "--token", "t")).startsWith("--hub entry 2 is empty");
        assertThat(failure("--hub", "ws:///ws/agent," + HUB, "--token", "t"))
                .isEqualTo("--hub entry 1 has no host: ws:///ws/agent");
        assertThat(failure("--hub", HUB + ",ws://bad host/", "--token", "t"))
                .startsWith("--hub entry 2 is not a valid address: ").contains("ws://bad host/");
        Path conf = directory.resolve("agent.conf");
        Files.writeString(conf, "token = t\nhub = " + HUB + ",tcp://10.0.0.6:1\n");
        assertThat(failure("--config", conf.toString()))
                .startsWith("hub (" + conf + " line 2) entry 2 must be a ws:// or wss:// address");
    }

    @Test
    void atMostSixteenHubs() throws Exception {
        StringBuilder hubs = new StringBuilder(HUB);
        for (int node = 2; node <= 16; node++) {
            hubs.append(",ws://10.0.1.").append(node).append(":8080/ws/agent");
        }
        assertThat(parse("--hub", hubs.toString(), "--token", "t").hubs()).hasSize(16);
        // A duplicate does not count.
        assertThat(parse("--hub", hubs + "," + HUB, "--token", "t").hubs()).hasSize(16);
        assertThat(failure("--hub", hubs + ",ws://10.0.1.17:8080/ws/agent", "--token", "t"))
                .isEqualTo("--hub lists 17 hubs, at most 16");
    }

    @Test
    void aPinNeedsAWssHubInTheListAndAppliesToEachOfThem() throws Exception {
        String wss = "wss://node-2.example.com/ws/agent";
        AgentSettings mixed = parse("--hub", HUB + "," + wss, "--token", "t", "--pin-sha256", FINGERPRINT);
        assertThat(mixed.trust()).isInstanceOf(HubTrust.Pinned.class);
        assertThat(mixed.hubs()).containsExactly(URI.create(HUB), URI.create(wss));
        String plain = "ws://10.0.0.6:8080/ws/agent";
        assertThat(failure("--hub", HUB + "," + plain, "--token", "t", "--pin-sha256", FINGERPRINT))
                .isEqualTo("--pin-sha256 needs a wss:// hub, got " + HUB + ", " + plain);
    }

    @Test
    void simulateUsesInMemorySpools() throws Exception {
        AgentSettings settings = parse("--hub", HUB, "--token", "t", "--simulate", "500", "--interval", "1s");
        assertThat(settings.simulatedAgents()).isEqualTo(500);
        assertThat(settings.inMemorySpool()).isTrue();
    }

    @Test
    void helpAndVersionWinOverEverythingElse() throws Exception {
        assertThat(SettingsParser.parse(List.of("--bogus", "--help"), Map.of()))
                .isInstanceOf(SettingsParser.ShowHelp.class);
        assertThat(SettingsParser.parse(List.of("-h"), Map.of())).isInstanceOf(SettingsParser.ShowHelp.class);
        assertThat(SettingsParser.parse(List.of("--version"), Map.of()))
                .isInstanceOf(SettingsParser.ShowVersion.class);
    }

    @Test
    void eachBadFlagIsExplained() {
        assertThat(failure("--hub", HUB, "--token", "t", "--interval", "0.5s"))
                .isEqualTo("--interval must be between 1s and 60s, got 0.5s");
        assertThat(failure("--hub", HUB, "--token", "t", "--interval", "2m"))
                .isEqualTo("--interval must be between 1s and 60s, got 2m");
        assertThat(failure("--hub", HUB, "--token", "t", "--interval", "often"))
                .startsWith("--interval is not a duration").endsWith("got 'often'");
        assertThat(failure("--token", "t")).startsWith("--hub is required");
        assertThat(failure("--hub", "http://10.0.0.5:8080/ws/agent", "--token", "t"))
                .startsWith("--hub must be a ws:// or wss:// address");
        assertThat(failure("--hub", "ws:///ws/agent", "--token", "t")).startsWith("--hub has no host");
        assertThat(failure("--hub", "ws://bad host/", "--token", "t")).startsWith("--hub is not a valid address");
        assertThat(failure("--hub", HUB, "--token", "t", "--spool-max-age", "10s"))
                .isEqualTo("--spool-max-age must be between 5m and 30d, got 10s");
        assertThat(failure("--hub", HUB, "--token", "t", "--spool-max-bytes", "1KB"))
                .isEqualTo("--spool-max-bytes must be between 64KB and 1TB, got 1KB");
        assertThat(failure("--hub", HUB, "--token", "t", "--spool-max-bytes", "big"))
                .startsWith("--spool-max-bytes is not a size");
        assertThat(failure("--hub", HUB, "--token", "t", "--simulate", "0"))
                .startsWith("--simulate must be a number of agents between 1 and 10000");
        assertThat(failure("--hub", HUB, "--token", "t", "--simulate", "many"))
                .startsWith("--simulate must be a number");
        assertThat(failure("--hub", HUB, "--token", "")).isEqualTo("--token must not be empty");
        assertThat(failure("--hub", HUB, "--token")).isEqualTo("--token needs a value");
        assertThat(failure("--hub", HUB, "--token", "t", "--colour", "blue")).isEqualTo("unknown option --colour");
        assertThat(failure("--hub", HUB, "--token", "t", "extra")).startsWith("unexpected argument 'extra'");
        assertThat(failure("--hub", HUB, "--hub", HUB, "--token", "t")).isEqualTo("--hub given twice");
    }

    @Test
    void theTokenIsRequiredUntilACredentialIsSaved() throws Exception {
        Path state = directory.resolve("state");
        assertThat(failure("--hub", HUB, "--state-dir", state.toString()))
                .startsWith("--token is required until the agent has enrolled").contains("STEWARD_TOKEN");
        StateDirectory.open(state).saveCredential("saved");
        AgentSettings settings = parse("--hub", HUB, "--state-dir", state.toString());
        assertThat(settings.token()).isNull();

        // Simulated agents each keep their own credential under the state directory.
        assertThat(failure("--hub", HUB, "--state-dir", state.toString(), "--simulate", "2"))
                .startsWith("--token is required");
        StateDirectory.open(state.resolve("sim-0001")).saveCredential("one");
        StateDirectory.open(state.resolve("sim-0002")).saveCredential("two");
        assertThat(parse("--hub", HUB, "--state-dir", state.toString(), "--simulate", "2").simulatedAgents())
                .isEqualTo(2);
    }

    @Test
    void theTokenMayComeFromTheEnvironmentButTheFlagWins() throws Exception {
        assertThat(parse(Map.of("STEWARD_TOKEN", "from-env"), "--hub", HUB).token()).isEqualTo("from-env");
        assertThat(parse(Map.of("STEWARD_TOKEN", "from-env"), "--hub", HUB, "--token", "from-flag").token())
                .isEqualTo("from-flag");
    }

    @Test
    void aConfigFileSetsTheSameKeysAndFlagsOverrideIt() throws Exception {
        Path file = directory.resolve("agent.conf");
        Files.writeString(file, """
                # Steward agent
                hub = %s
                token = "from-file"
                interval = 10s

                spool-max-bytes = 20MB
                state-dir = %s
                """.formatted(HUB, directory.resolve("state")));
        AgentSettings fromFile = parse("--config", file.toString());
        assertThat(fromFile.hub()).isEqualTo(URI.create(HUB));
        assertThat(fromFile.token()).isEqualTo("from-file");
        assertThat(fromFile.interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(fromFile.localInterval()).as("the file's interval is local too").contains(Duration.ofSeconds(10));
        assertThat(fromFile.spoolMaxBytes()).isEqualTo(20L << 20);
        assertThat(fromFile.stateDirectory()).isEqualTo(directory.resolve("state"));

        AgentSettings overridden = parse("--config", file.toString(), "--interval", "30s");
        assertThat(overridden.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(overridden.token()).isEqualTo("from-file");
        // The environment beats the file for the token, the flag beats both.
        assertThat(parse(Map.of("STEWARD_TOKEN", "env"), "--config", file.toString()).token()).isEqualTo("env");
    }

    @Test
    void reportsListTenTopProcessesUnlessTheFlagOrTheConfigFileSaysOtherwise() throws Exception {
        assertThat(parse("--hub", HUB, "--token", "t").topProcesses()).isEqualTo(10);
        assertThat(parse("--hub", HUB, "--token", "t", "--top-processes", "25").topProcesses()).isEqualTo(25);
        assertThat(parse("--hub", HUB, "--token", "t", "--top-processes=1").topProcesses()).isEqualTo(1);
        Path file = directory.resolve("agent.conf");
        Files.writeString(file, "hub = " + HUB + "\ntoken = t\ntop-processes = 100\n");
        assertThat(parse("--config", file.toString()).topProcesses()).isEqualTo(100);
        assertThat(parse("--config", file.toString(), "--top-processes", "15").topProcesses()).isEqualTo(15);
        assertThat(SettingsParser.USAGE).contains("--top-processes N").contains("1..100 (default 10)");
    }

    @Test
    void logOptionsHaveDefaultsAndBoundsNamingTheFlagOrTheFileLine() throws Exception {
        SettingsParser.Run byDefault = (SettingsParser.Run) SettingsParser.parse(List.of("--hub", HUB, "--token", "t"),
                Map.of());
        assertThat(byDefault.logging()).isEqualTo(LogOptions.DEFAULT);
        assertThat(byDefault.logging().file()).isNull();
        assertThat(byDefault.logging().maxBytes()).isEqualTo(10L << 20);
        assertThat(byDefault.logging().maxFiles()).isEqualTo(5);
        assertThat(byDefault.configFile()).isNull();

        Path file = directory.resolve("agent.conf");
        Files.writeString(file, "hub = " + HUB + "\ntoken = t\nlog-file = /var/log/steward/agent.log\n"
                + "log-max-bytes = 1MB\nlog-max-files = 2\nlog-level = WARN\n");
        SettingsParser.Run fromFile = (SettingsParser.Run) SettingsParser.parse(
                List.of("--config", file.toString(), "--log-level", "debug"), Map.of());
        assertThat(fromFile.logging()).isEqualTo(new LogOptions(Path.of("/var/log/steward/agent.log"), 1L << 20, 2,
                LogLevel.DEBUG));
        assertThat(fromFile.configFile()).isEqualTo(file);

        assertThat(failure("--hub", HUB, "--token", "t", "--log-max-bytes", "1KB"))
                .isEqualTo("--log-max-bytes must be between 64KB and 1GB, got 1KB");
        assertThat(failure("--hub", HUB, "--token", "t", "--log-max-files", "0"))
                .isEqualTo("--log-max-files must be between 1 and 100, got 0");
        assertThat(failure("--hub", HUB, "--token", "t", "--log-max-files", "many"))
                .isEqualTo("--log-max-files must be a whole number between 1 and 100, got 'many'");
        assertThat(failure("--hub", HUB, "--token", "t", "--log-level", "loud"))
                .isEqualTo("--log-level must be one of error, warn, info, debug, got 'loud'");
        assertThat(failure("--hub", HUB, "--token", "t", "--log-file", " "))
                .isEqualTo("--log-file must not be empty");
        Files.writeString(file, "hub = " + HUB + "\ntoken = t\nlog-max-bytes = 2GB\n");
        assertThat(failure("--config", file.toString()))
                .isEqualTo("log-max-bytes (" + file + " line 3) must be between 64KB and 1GB, got 2GB");
        assertThat(SettingsParser.USAGE).contains("--log-file FILE").contains("(default 10MB)")
                .contains("SIGHUP");
    }

    @Test
    void topProcessesOutsideOneToAHundredOrNotAWholeNumberIsExplained() throws Exception {
        assertThat(failure("--hub", HUB, "--token", "t", "--top-processes", "0"))
                .isEqualTo("--top-processes must be between 1 and 100, got 0");
        assertThat(failure("--hub", HUB, "--token", "t", "--top-processes", "101"))
                .isEqualTo("--top-processes must be between 1 and 100, got 101");
        assertThat(failure("--hub", HUB, "--token", "t", "--top-processes", "-3"))
                .isEqualTo("--top-processes must be between 1 and 100, got -3");
        assertThat(failure("--hub", HUB, "--token", "t", "--top-processes", "ten"))
                .isEqualTo("--top-processes must be a whole number between 1 and 100, got 'ten'");
        assertThat(failure("--hub", HUB, "--token", "t", "--top-processes", "2.5"))
                .isEqualTo("--top-processes must be a whole number between 1 and 100, got '2.5'");
        assertThat(failure("--hub", HUB, "--token", "t", "--top-processes")).isEqualTo("--top-processes needs a value");
        Path file = directory.resolve("agent.conf");
        Files.writeString(file, "hub = " + HUB + "\ntoken = t\ntop-processes = 500\n");
        assertThat(failure("--config", file.toString()))
                .isEqualTo("top-processes (" + file + " line 3) must be between 1 and 100, got 500");
    }

    @Test
    void checksRunByDefaultWithTheirLimitsAndTheOperatorMayTurnThemOffOrSetThem() throws Exception {
        CheckOptions defaults = parse("--hub", HUB, "--token", "t").checks();
        assertThat(defaults.enabled()).isTrue();
        assertThat(defaults.maxChecks()).isEqualTo(1000);
        assertThat(defaults.concurrency()).isEqualTo(8);
        assertThat(defaults.reference()).isNull();

        CheckOptions set = parse("--hub", HUB, "--token", "t", "--checks", "off", "--max-checks", "50",
                "--check-concurrency=2", "--check-reference", "https://www.example.com/").checks();
        assertThat(set.enabled()).isFalse();
        assertThat(set.maxChecks()).isEqualTo(50);
        assertThat(set.concurrency()).isEqualTo(2);
        assertThat(set.reference()).isEqualTo(URI.create("https://www.example.com/"));
        assertThat(parse("--hub", HUB, "--token", "t", "--checks", "ON").checks().enabled()).isTrue();

        Path file = directory.resolve("agent.conf");
        Files.writeString(file, "hub = " + HUB + "\ntoken = t\nchecks = off\nmax-checks = 10000\n"
                + "check-concurrency = 256\ncheck-reference = http://10.0.0.1/health\n");
        CheckOptions fromFile = parse("--config", file.toString()).checks();
        assertThat(fromFile.enabled()).isFalse();
        assertThat(fromFile.maxChecks()).isEqualTo(10_000);
        assertThat(fromFile.concurrency()).isEqualTo(256);
        assertThat(fromFile.reference()).isEqualTo(URI.create("http://10.0.0.1/health"));
        assertThat(parse("--config", file.toString(), "--checks", "on").checks().enabled()).isTrue();
        assertThat(SettingsParser.USAGE).contains("--checks on|off").contains("--max-checks N")
                .contains("--check-concurrency N").contains("--check-reference URL");
    }

    @Test
    void eachBadCheckFlagIsExplainedNamingTheFlag() throws Exception {
        assertThat(failure("--hub", HUB, "--token", "t", "--checks", "maybe"))
                .isEqualTo("--checks must be on or off, got 'maybe'");
        assertThat(failure("--hub", HUB, "--token", "t", "--max-checks", "0"))
                .isEqualTo("--max-checks must be between 1 and 10000, got 0");
        assertThat(failure("--hub", HUB, "--token", "t", "--max-checks", "10001"))
                .isEqualTo("--max-checks must be between 1 and 10000, got 10001");
        assertThat(failure("--hub", HUB, "--token", "t", "--max-checks", "lots"))
                .isEqualTo("--max-checks must be a whole number between 1 and 10000, got 'lots'");
        assertThat(failure("--hub", HUB, "--token", "t", "--check-concurrency", "0"))
                .isEqualTo("--check-concurrency must be between 1 and 256, got 0");
        assertThat(failure("--hub", HUB, "--token", "t", "--check-concurrency", "1.5"))
                .isEqualTo("--check-concurrency must be a whole number between 1 and 256, got '1.5'");
        assertThat(failure("--hub", HUB, "--token", "t", "--check-reference", "ftp://example.com/"))
                .startsWith("--check-reference must be an http:// or https:// URL")
                .endsWith("got ftp://example.com/");
        assertThat(failure("--hub", HUB, "--token", "t", "--check-reference", "https://user:pw@example.com/"))
                .startsWith("--check-reference must be an http:// or https:// URL").contains("credentials");
        assertThat(failure("--hub", HUB, "--token", "t", "--check-reference", "https://bad host/"))
                .startsWith("--check-reference is not a valid URL");
        assertThat(failure("--hub", HUB, "--token", "t", "--check-reference"))
                .isEqualTo("--check-reference needs a value");
        Path file = directory.resolve("agent.conf");
        Files.writeString(file, "hub = " + HUB + "\ntoken = t\ncheck-concurrency = 300\n");
        assertThat(failure("--config", file.toString()))
                .isEqualTo("check-concurrency (" + file + " line 3) must be between 1 and 256, got 300");
    }

    @Test
    void aWssHubTrustsThePublicCasUnlessPinnedOrGivenACaFile() throws Exception {
        String wss = "wss://steward.example.com/ws/agent";
        assertThat(parse("--hub", wss, "--token", "t").trust()).isEqualTo(new HubTrust.PublicAuthorities());
        assertThat(parse("--hub", wss, "--token", "t", "--pin-sha256", FINGERPRINT.toLowerCase()).trust())
                .isEqualTo(new HubTrust.Pinned(CertificatePin.parse(FINGERPRINT)));
        Path ca = directory.resolve("ca.pem");
        try (InputStream fixture = getClass().getResourceAsStream("/tls/fixture-cert.pem")) {
            Files.write(ca, fixture.readAllBytes());
        }
        assertThat(parse("--hub", wss, "--token", "t", "--ca-file", ca.toString()).trust())
                .isEqualTo(new HubTrust.AuthorityFile(ca));
        Path conf = directory.resolve("agent.conf");
        Files.writeString(conf, "hub = " + wss + "\ntoken = t\npin-sha256 = " + FINGERPRINT + "\n");
        assertThat(parse("--config", conf.toString()).trust()).isInstanceOf(HubTrust.Pinned.class);
    }

    @Test
    void trustOptionsThatWouldBeIgnoredOrAreWrongAreRefused() throws Exception {
        String wss = "wss://steward.example.com/ws/agent";
        assertThat(failure("--hub", HUB, "--token", "t", "--pin-sha256", FINGERPRINT))
                .isEqualTo("--pin-sha256 needs a wss:// hub, got " + HUB);
        Path ca = directory.resolve("ca.pem");
        Files.writeString(ca, "not a certificate");
        assertThat(failure("--hub", wss, "--token", "t", "--ca-file", ca.toString()))
                .startsWith("--ca-file: " + ca);
        assertThat(failure("--hub", wss, "--token", "t", "--ca-file", directory.resolve("none.pem").toString()))
                .startsWith("--ca-file: ");
        assertThat(failure("--hub", wss, "--token", "t", "--pin-sha256", "AB:CD"))
                .startsWith("--pin-sha256: a certificate pin is the SHA-256 fingerprint");
        assertThat(failure("--hub", wss, "--token", "t", "--pin-sha256", FINGERPRINT, "--ca-file", ca.toString()))
                .isEqualTo("--pin-sha256 and --ca-file exclude each other: pin the node's own certificate, or trust "
                        + "the CA that issued it");
    }

    @Test
    void pinSha256TakesOnePinPerNodeSeparatedByCommas() throws Exception {
        String hubs = "wss://node1.example.com/ws/agent,wss://node2.example.com/ws/agent";
        String second = "B".repeat(64);
        assertThat(parse("--hub", hubs, "--token", "t", "--pin-sha256",
                FINGERPRINT + ", " + second + "," + FINGERPRINT.toLowerCase()).trust())
                .isEqualTo(new HubTrust.Pinned(List.of(CertificatePin.parse(FINGERPRINT), new CertificatePin(second))));
        assertThat(failure("--hub", hubs, "--token", "t", "--pin-sha256", FINGERPRINT + ",AB:CD"))
                .startsWith("--pin-sha256 entry 2: a certificate pin is the SHA-256 fingerprint");
        assertThat(failure("--hub", hubs, "--token", "t", "--pin-sha256", FINGERPRINT + ",," + second))
                .isEqualTo("--pin-sha256 entry 2 is empty (pins are separated by single commas)");
        Path conf = directory.resolve("agent.conf");
        Files.writeString(conf, "hub = " + hubs + "\ntoken = t\npin-sha256 = " + FINGERPRINT + ",nope\n");
        assertThat(failure("--config", conf.toString())).startsWith("pin-sha256 (" + conf + " line 3) entry 2: ");
    }

    @Test
    void configFileMistakesPointAtTheLine() throws Exception {
        Path file = directory.resolve("bad.conf");
        Files.writeString(file, "hub = " + HUB + "\nintervall = 5s\n");
        assertThat(failure("--config", file.toString()))
                .isEqualTo(file + " line 2: unknown key 'intervall' (known keys: hub, token, interval, state-dir, "
                        + "spool-max-age, spool-max-bytes, services, backups, simulate, top-processes, pin-sha256, "
                        + "ca-file, checks, max-checks, check-concurrency, check-reference, log-file, "
                        + "log-max-bytes, log-max-files, log-level)");
        Files.writeString(file, "hub " + HUB + "\n");
        assertThat(failure("--config", file.toString())).startsWith(file + " line 1: expected 'key = value'");
        Files.writeString(file, "hub = " + HUB + "\ntoken = t\ninterval = 90s\n");
        assertThat(failure("--config", file.toString()))
                .isEqualTo("interval (" + file + " line 3) must be between 1s and 60s, got 90s");
        assertThat(failure("--config", directory.resolve("missing.conf").toString()))
                .startsWith("--config: cannot read");
    }
}
